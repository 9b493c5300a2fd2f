#include "models/disk/disk_params.hpp"

namespace mailsim::models {

using P = DiskParams;
using config::choice;
using config::param;
using config::range;

namespace {

// One profile's defaults and where each comes from.
struct Profile {
  const char *read_iops, *write_iops, *read_bw, *write_bw, *read_lat, *write_lat, *fsync;
  std::string datasheet;  // IOPS, bandwidth and latency figures
  std::string fsync_src;
};

config::ParamTable<P> make_table(const std::string& profile, const Profile& f) {
  return config::ParamTable<P>(
      "disk (" + profile + ")",
      {
          param(&P::name, "name", "", "name", "the disk's name, unique on its node (required)", "mailsim"),
          choice(&P::profile, "profile", profile, disk_profiles(), "the device class whose defaults apply", "mailsim"),
          param(&P::read_iops, "read_iops", f.read_iops, "rate", "random 4 KiB reads the device completes per second",
                f.datasheet, range("1/s", "100000000/s")),
          param(&P::write_iops, "write_iops", f.write_iops, "rate",
                "random 4 KiB writes the device completes per second (also the disk's capacity as a resource, IO/s)",
                f.datasheet, range("1/s", "100000000/s")),
          param(&P::read_bandwidth, "read_bandwidth", f.read_bw, "bandwidth", "sequential read throughput", f.datasheet,
                range("1KB/s", "1000GB/s")),
          param(&P::write_bandwidth, "write_bandwidth", f.write_bw, "bandwidth", "sequential write throughput",
                f.datasheet, range("1KB/s", "1000GB/s")),
          param(&P::read_latency, "read_latency", f.read_lat, "duration", "time of one small read on an idle device",
                f.datasheet, range("0s", "10s")),
          param(&P::write_latency, "write_latency", f.write_lat, "duration",
                "time of one small write on an idle device", f.datasheet, range("0s", "10s")),
          param(&P::fsync_latency, "fsync_latency", f.fsync, "duration",
                "a cache flush (fsync) that makes written data durable; the device serves nothing else meanwhile",
                f.fsync_src, range("0s", "10s")),
      });
}

}  // namespace

const std::vector<std::string>& disk_profiles() {
  static const std::vector<std::string> p = {"hdd", "sata_ssd", "nvme"};
  return p;
}

const config::ParamTable<P>& disk_params(const std::string& profile) {
  static const config::ParamTable<P> hdd = make_table(
      "hdd", {"170/s", "550/s", "261MB/s", "261MB/s", "12ms", "12ms", "8.3ms",
              "Seagate Exos X16 datasheet (7200 rpm, 2019): max sustained transfer 261 MB/s; random 4K QD16 "
              "170 read / 550 write IOPS (write cache disabled); average latency 4.16 ms plus ~8 ms average seek",
              "7200 rpm: a flush waits about one rotation, 60 s / 7200 = 8.3 ms"});
  static const config::ParamTable<P> sata_ssd = make_table(
      "sata_ssd", {"95000/s", "36000/s", "560MB/s", "510MB/s", "36us", "37us", "200us",
                   "Intel SSD D3-S4510 960 GB product specification (2018): sequential 560 MB/s read, 510 MB/s "
                   "write; random 4 KiB 95k read / 36k write IOPS; latency 36 us read, 37 us write",
                   "assumption: a SATA FLUSH CACHE on a drive with power-loss protection, acknowledged once its "
                   "protected cache holds the data (no datasheet figure)"});
  static const config::ParamTable<P> nvme = make_table(
      "nvme", {"637000/s", "81500/s", "3200MB/s", "2000MB/s", "77us", "18us", "50us",
               "Intel SSD DC P4510 2 TB product brief (2018): sequential 3200 MB/s read, 2000 MB/s write; random "
               "4 KiB 637k read / 81.5k write IOPS; latency 77 us read, 18 us write",
               "assumption: an NVMe Flush on a drive with power-loss protection (no datasheet figure)"});
  if (profile == "hdd") return hdd;
  if (profile == "nvme") return nvme;
  return sata_ssd;
}

DiskParams parse_disk(const config::DiskSpec& d, const config::YamlReader& r) {
  std::string profile = "sata_ssd";
  if (d.params.IsMap() && d.params["profile"]) profile = r.as_choice(d.params["profile"], disk_profiles());
  return disk_params(profile).parse(d.params, r);
}

void validate_disks(const config::Topology& topo) {
  const config::YamlReader r(topo.file);
  for (const auto& n : topo.nodes)
    for (const auto& d : n.disks) parse_disk(d, r);  // each value checked against its domain
}

core::DiskFigures disk_figures(const DiskParams& p) {
  return {p.read_iops.per_s,          p.write_iops.per_s,          p.read_bandwidth.bytes_per_s,
          p.write_bandwidth.bytes_per_s, p.read_latency.seconds, p.write_latency.seconds,
          p.fsync_latency.seconds};
}

}  // namespace mailsim::models
