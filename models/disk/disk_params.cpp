#include "models/disk/disk_params.hpp"

namespace mailsim::models {

using P = DiskParams;
using config::choice;
using config::param;
using config::range;

namespace {

config::ParamTable<P> make_table(const std::string& profile, const char* rbw, const char* wbw, const char* rlat,
                                 const char* wlat, const char* fsync, const char* depth, const std::string& bw_src,
                                 const std::string& lat_src, const std::string& depth_src) {
  return config::ParamTable<P>(
      "disk (" + profile + ")",
      {
          param(&P::name, "name", "", "name", "the disk's name, unique on its node (required)", "mailsim"),
          choice(&P::profile, "profile", profile, disk_profiles(), "the device class whose defaults apply", "mailsim"),
          param(&P::read_bandwidth, "read_bandwidth", rbw, "bandwidth", "sequential read throughput", bw_src,
                range("1KB/s", "1000GB/s")),
          param(&P::write_bandwidth, "write_bandwidth", wbw, "bandwidth", "sequential write throughput", bw_src,
                range("1KB/s", "1000GB/s")),
          param(&P::read_latency, "read_latency", rlat, "duration", "time of one small read before data flows", lat_src,
                range("0s", "10s")),
          param(&P::write_latency, "write_latency", wlat, "duration",
                "time of one small (metadata) write reaching the device", lat_src,
                range("0s", "10s")),
          param(&P::fsync_latency, "fsync_latency", fsync, "duration",
                "a cache flush (fsync) that makes written data durable", lat_src,
                range("0s", "10s")),
          param(&P::queue_depth, "queue_depth", depth, "operations",
                "operations the device serves concurrently; more wait in FIFO order", depth_src,
                range("1", "65536").because("NVMe: at most 64K commands per queue")),
      });
}

}  // namespace

const std::vector<std::string>& disk_profiles() {
  static const std::vector<std::string> p = {"ssd", "hdd", "nvme"};
  return p;
}

const config::ParamTable<P>& disk_params(const std::string& profile) {
  static const config::ParamTable<P> ssd = make_table(
      "ssd", "500MB/s", "450MB/s", "100us", "50us", "200us", "32",
      "SATA III line rate 6 Gb/s = 600 MB/s before overhead (SATA-IO 3.0); datacenter SATA SSD datasheets quote "
      "500-550 MB/s read, 450-520 MB/s write",
      "assumption: datacenter SATA SSD with power-loss protection, 4 KiB random read ~100 us; flush acknowledged "
      "from protected cache",
      "AHCI Native Command Queuing: 32 commands per port (Serial ATA AHCI 1.3.1)");
  static const config::ParamTable<P> hdd = make_table(
      "hdd", "200MB/s", "200MB/s", "12ms", "12ms", "8ms", "1",
      "7200 rpm nearline HDD datasheets: 200-250 MB/s sustained",
      "7200 rpm: half a rotation 60/7200/2 = 4.17 ms + average seek ~8 ms; a flush waits ~one rotation (8.3 ms)",
      "one actuator: one operation at a time (NCQ reorders, it does not parallelise)");
  static const config::ParamTable<P> nvme = make_table(
      "nvme", "3GB/s", "2GB/s", "80us", "20us", "50us", "64",
      "PCIe 3.0 x4 line rate 3.94 GB/s (PCI-SIG); datacenter NVMe datasheets: ~3 GB/s read, ~2 GB/s write",
      "assumption: datacenter NVMe with power-loss protection, 4 KiB random read ~80 us",
      "assumption: 64 of the NVMe queue depth used by one host's I/O (NVMe 1.4 allows 64K queues of 64K)");
  if (profile == "hdd") return hdd;
  if (profile == "nvme") return nvme;
  return ssd;
}

DiskParams parse_disk(const config::DiskSpec& d, const config::YamlReader& r) {
  std::string profile = "ssd";
  if (d.params.IsMap() && d.params["profile"]) profile = r.as_choice(d.params["profile"], disk_profiles());
  return disk_params(profile).parse(d.params, r);
}

void validate_disks(const config::Topology& topo) {
  const config::YamlReader r(topo.file);
  for (const auto& n : topo.nodes)
    for (const auto& d : n.disks) parse_disk(d, r);  // each value checked against its domain
}

}  // namespace mailsim::models
