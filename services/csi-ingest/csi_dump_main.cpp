// csi-dump: decodes any CSI file csi-ingest can read and writes one CSV row per sample:
//   frame,timestamp,node,rx,tx,sc,re,im,scaled_re,scaled_im
// `frame` counts decoded CSI frames from 0 in file order, `sc` is the true OFDM subcarrier index
// (empty when the layout is unknown), re/im are the raw values in the device's units, scaled_* are
// raw * the format's calibration (equal to raw when the format defines none). `timestamp` is the
// file's own time in seconds. Rejected records go to stderr with a reason; the exit status is 0
// when the file was read to its end, 1 when it could not be read, 2 on bad usage.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdio>
#include <fstream>

#include "formats/format_registry.h"
#include "ingest/byte_source.h"
#include "wdp/csi/frame_view.h"

namespace {

// Shortest text that reads back as the same double.
void put_number(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

void write_frame(std::uint64_t index, const wdp::v1::CsiFrame& f, std::string& out) {
  const wdp::csi::FrameView v(f);
  std::string prefix = std::to_string(index) + ",";
  put_number(prefix, double(f.sensor_time_ns()) / 1e9);
  prefix += "," + f.node_id() + ",";
  for (std::size_t rx = 0; rx < v.n_rx(); ++rx) {
    for (std::size_t tx = 0; tx < v.n_tx(); ++tx) {
      for (std::size_t b = 0; b < v.n_bins(); ++b) {
        out += prefix;
        out += std::to_string(rx) + "," + std::to_string(tx) + ",";
        if (v.has_indices()) out += std::to_string(v.index(b));
        out += ',';
        const auto [re, im] = v.raw(rx, tx, b);
        const auto s = v.scaled(rx, tx, b);
        put_number(out, re);
        out += ',';
        put_number(out, im);
        out += ',';
        put_number(out, s.real());
        out += ',';
        put_number(out, s.imag());
        out += '\n';
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"csi-dump: decode a CSI capture to CSV (frame,timestamp,node,rx,tx,sc,re,im,scaled_re,scaled_im)"};
  std::string file;
  std::string format = "auto";
  std::string node;
  app.add_option("FILE", file, "Capture to decode ('-' = stdin)")->required();
  std::vector<std::string> names{"auto"};
  for (auto f : wdp::ingest::all_formats()) names.emplace_back(wdp::ingest::format_name(f));
  app.add_option("--format", format, "Input format")->check(CLI::IsMember(names))->capture_default_str();
  app.add_option("--node", node, "Node id for every frame (default: from the data)");
  CLI11_PARSE(app, argc, argv);

  std::unique_ptr<wdp::ingest::ByteSource> source;
  try {
    source = std::make_unique<wdp::ingest::ByteSource>(wdp::ingest::parse_byte_source(file == "-" ? "stdin" : "file:" + file));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "csi-dump: %s\n", e.what());
    return 1;
  }

  std::string out = "frame,timestamp,node,rx,tx,sc,re,im,scaled_re,scaled_im\n";
  std::uint64_t frames = 0, rejects = 0;
  std::unique_ptr<wdp::ingest::StreamDecoder> decoder;
  wdp::ingest::DecodeContext ctx;
  ctx.node_override = node;
  auto callbacks = wdp::ingest::StreamCallbacks{
      [&](wdp::v1::CsiFrame&& f) {
        try {
          write_frame(frames, f, out);
          ++frames;
        } catch (const std::exception& e) {
          ++rejects;
          std::fprintf(stderr, "csi-dump: reject reason=inconsistent_frame detail=\"%s\"\n", e.what());
        }
        if (out.size() > (1 << 20)) {
          std::fwrite(out.data(), 1, out.size(), stdout);
          out.clear();
        }
      },
      [&](const wdp::ingest::Reject& r) {
        ++rejects;
        std::fprintf(stderr, "csi-dump: reject offset=%llu reason=%s detail=\"%s\"\n",
                     static_cast<unsigned long long>(r.offset), r.reason.c_str(), r.detail.c_str());
      },
      {}};

  std::span<const std::byte> chunk;
  for (;;) {
    const auto st = source->read(std::chrono::milliseconds(1000), chunk);
    if (st == wdp::ingest::ByteSource::Status::end) break;
    if (st != wdp::ingest::ByteSource::Status::data) continue;
    if (!decoder) {
      auto f = format == "auto" ? wdp::ingest::detect_format(chunk, file) : wdp::ingest::parse_format(format);
      if (!f) {
        std::fprintf(stderr, "csi-dump: cannot tell the format of %s; pass --format\n", file.c_str());
        return 2;
      }
      decoder = wdp::ingest::make_stream_decoder(*f, ctx, callbacks);
    }
    decoder->feed(chunk);
  }
  if (decoder) decoder->finish();
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fprintf(stderr, "csi-dump: %llu frames, %llu rejects\n", static_cast<unsigned long long>(frames),
               static_cast<unsigned long long>(rejects));
  return 0;
}
