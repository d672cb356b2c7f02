#pragma once
// SIGTERM/SIGINT handling: the handler only sets a flag; loops poll stop_requested() at least
// every 100 ms, so a service exits within a second of the signal. Blocking ZeroMQ calls return
// EINTR, which the bus classes treat as "no message".
namespace wdp::runtime {

void install_shutdown_handlers();
bool stop_requested();
void request_stop();  // same effect as a signal; for tests and fatal paths

}  // namespace wdp::runtime
