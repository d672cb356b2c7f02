#pragma once
// Child processes for integration tests: spawn a build/bin program with arguments, signal it,
// wait for it with a deadline. The destructor kills what is still running, so a failing test
// leaves no orphans.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fcntl.h>
#include <optional>
#include <stdexcept>
#include <memory>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace wdp::testing {

class Process {
 public:
  // stdout_path: file that receives the child's stdout ("" = inherit); stderr goes to stderr_path.
  Process(const std::string& program, const std::vector<std::string>& args, const std::string& stdout_path = "",
          const std::string& stderr_path = "") {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (!stdout_path.empty()) posix_spawn_file_actions_addopen(&fa, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (!stderr_path.empty()) posix_spawn_file_actions_addopen(&fa, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int rc = posix_spawn(&pid_, program.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw std::runtime_error("cannot start " + program);
  }
  ~Process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) { if (pid_ > 0) ::kill(pid_, sig); }

  // Exit status if the process ended within `timeout` (-signal if killed by one), else nullopt.
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

 private:
  pid_t pid_ = -1;
};

// A port on 127.0.0.1 that was free for TCP and UDP a moment ago, below the kernel's ephemeral
// range so that client sockets cannot take it before the child binds it.
std::uint16_t free_port();

// A bus-forwarder on free loopback ports, the bus of tests that start services as processes.
class TestBus {
 public:
  // Starts bin_dir/bus-forwarder logging to log_file; ready() says whether its /healthz answered.
  TestBus(const std::string& bin_dir, const std::string& log_file);
  bool ready(std::chrono::milliseconds timeout) const;
  std::string pub() const { return ">tcp://127.0.0.1:" + std::to_string(frontend_); }  // publishers connect here
  std::string sub() const { return ">tcp://127.0.0.1:" + std::to_string(backend_); }   // subscribers connect here
  Process& process() { return *process_; }

 private:
  std::uint16_t frontend_, backend_, admin_;
  std::unique_ptr<Process> process_;
};

}  // namespace wdp::testing
