// Input and output files as users name them: special files, links, missing paths, full
// devices (core/input_file.hpp, core/output_file.hpp).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/input_file.hpp"
#include "core/output_file.hpp"

namespace {

namespace fs = std::filesystem;
using mailsim::core::InputError;
using mailsim::core::OutputError;
using mailsim::core::read_input_file;
using mailsim::core::write_file_atomically;

class FileIo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mailsim-file-io-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  template <class E, class F>
  static std::string error_of(F f) {
    try {
      f();
    } catch (const E& e) {
      return e.what();
    }
    return "";
  }
  size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator())); }
  fs::path dir_;
};

TEST_F(FileIo, ReadsARegularFile) {
  std::ofstream(path("a.yaml")) << "name: x\n";
  EXPECT_EQ(read_input_file(path("a.yaml")), "name: x\n");
}

TEST_F(FileIo, MissingInputNamesTheReasonAtOneOne) {
  EXPECT_EQ(error_of<InputError>([&] { read_input_file(path("no.yaml")); }),
            path("no.yaml") + ":1:1: cannot read this file: No such file or directory");
}

TEST_F(FileIo, DirectoryInputIsRefused) {
  EXPECT_EQ(error_of<InputError>([&] { read_input_file(dir_.string()); }),
            dir_.string() + ":1:1: cannot read this file: it is a directory");
}

TEST_F(FileIo, EndlessDeviceIsRefusedWithoutReading) {
  EXPECT_NE(error_of<InputError>([] { read_input_file("/dev/zero"); }).find("not a regular file"), std::string::npos);
}

TEST_F(FileIo, FifoIsRefusedWithoutBlocking) {
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
  EXPECT_NE(error_of<InputError>([&] { read_input_file(path("fifo")); }).find("not a regular file"), std::string::npos);
}

TEST_F(FileIo, LinkLoopIsNamed) {
  fs::create_symlink(path("b"), path("a"));
  fs::create_symlink(path("a"), path("b"));
  EXPECT_NE(error_of<InputError>([&] { read_input_file(path("a")); }).find("too many levels of symbolic links"),
            std::string::npos);
}

TEST_F(FileIo, OversizedInputIsRefused) {
  {
    std::ofstream(path("big.yaml")) << "x";
  }
  fs::resize_file(path("big.yaml"), mailsim::core::kMaxInputBytes + 1);  // sparse: costs no disk
  EXPECT_NE(error_of<InputError>([&] { read_input_file(path("big.yaml")); }).find("larger than 64 MiB"),
            std::string::npos);
}

TEST_F(FileIo, DashReadsStandardInput) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "seed: 3\n", 8), 8);
  ::close(fds[1]);
  const int saved = ::dup(STDIN_FILENO);
  ::dup2(fds[0], STDIN_FILENO);
  ::close(fds[0]);
  std::string text = read_input_file("-");
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  EXPECT_EQ(text, "seed: 3\n");
}

TEST_F(FileIo, WritesANewFileInNewFoldersAndLeavesNoTemporary) {
  write_file_atomically(path("x/y/r.json"), "{}\n");
  EXPECT_EQ(slurp(path("x/y/r.json")), "{}\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "x" / "y"), fs::directory_iterator()), 1);
}

TEST_F(FileIo, ReplacingAFileKeepsItsPermissions) {
  std::ofstream(path("r.json")) << "old";
  fs::permissions(path("r.json"), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  write_file_atomically(path("r.json"), "new");
  EXPECT_EQ(slurp(path("r.json")), "new");
  EXPECT_EQ(fs::status(path("r.json")).permissions(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(entries(), 1u);
}

TEST_F(FileIo, ASymlinkIsWrittenThroughAndStaysALink) {
  std::ofstream(path("target.json")) << "old";
  fs::create_symlink(path("target.json"), path("link.json"));
  write_file_atomically(path("link.json"), "new");
  EXPECT_TRUE(fs::is_symlink(path("link.json")));
  EXPECT_EQ(slurp(path("target.json")), "new");
}

TEST_F(FileIo, ADanglingLinkIsRefused) {
  fs::create_symlink(path("nowhere.json"), path("link.json"));
  EXPECT_NE(error_of<OutputError>([&] { write_file_atomically(path("link.json"), "x"); }).find("dangling"),
            std::string::npos);
  EXPECT_TRUE(fs::is_symlink(path("link.json")));
}

TEST_F(FileIo, ADirectoryIsNeverReplaced) {
  fs::create_directories(path("d"));
  EXPECT_EQ(error_of<OutputError>([&] { write_file_atomically(path("d"), "x"); }),
            path("d") + ": cannot write this output: it is a directory");
  EXPECT_TRUE(fs::is_directory(path("d")));
  EXPECT_EQ(error_of<OutputError>([&] { mailsim::core::check_output_path(path("d")); }),
            path("d") + ": cannot write this output: it is a directory");
}

TEST_F(FileIo, ACharacterDeviceIsWrittenThroughNotReplaced) {
  write_file_atomically("/dev/null", "discarded");
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(FileIo, AFullDeviceIsAnOutputErrorNamingThePath) {
  EXPECT_EQ(error_of<OutputError>([] { write_file_atomically("/dev/full", "x"); }),
            "/dev/full: cannot write this output: No space left on device");
}

TEST_F(FileIo, AFifoWithoutReaderIsRefusedWithoutBlocking) {
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
  EXPECT_NE(error_of<OutputError>([&] { write_file_atomically(path("fifo"), "x"); }).find("no reader"),
            std::string::npos);
}

TEST_F(FileIo, DashIsStandardOutput) {
  ::testing::internal::CaptureStdout();
  write_file_atomically("-", "to stdout\n");
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "to stdout\n");
}

TEST_F(FileIo, CheckRefusesAPathUnderAFile) {
  std::ofstream(path("plain")) << "x";
  EXPECT_NE(error_of<OutputError>([&] { mailsim::core::check_output_path(path("plain/r.json")); })
                .find("Not a directory"),
            std::string::npos);
  EXPECT_NO_THROW(mailsim::core::check_output_path(path("new/deeper/r.json")));
}

// A relative path whose first folder does not exist yet is checked against the current
// folder (write_file_atomically creates the folders), not refused.
TEST_F(FileIo, CheckAcceptsARelativePathUnderFoldersNotYetMade) {
  const fs::path cwd = fs::current_path();
  fs::current_path(path(""));
  EXPECT_NO_THROW(mailsim::core::check_output_path("not-yet/deeper/r.json"));
  EXPECT_NO_THROW(mailsim::core::check_output_path("r.json"));
  fs::current_path(cwd);
}

// A writer killed between creating and renaming its temporary leaves ".NAME.tmp.PID";
// the next command writing NAME removes it once PID is gone, and nothing else.
TEST_F(FileIo, StaleTemporariesOfADeadWriterAreRemovedForThatOutputOnly) {
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const std::string d = dir_.string();
  const std::string stale = d + "/.r.json.tmp." + std::to_string(dead);
  const std::string live = d + "/.r.json.tmp." + std::to_string(getpid());
  const std::string other = d + "/.s.json.tmp." + std::to_string(dead);
  const std::string not_ours = d + "/.r.json.tmp.backup";
  for (const auto& f : {stale, live, other, not_ours}) std::ofstream(f) << "half";
  EXPECT_TRUE(mailsim::core::is_stale_temporary(".r.json.tmp." + std::to_string(dead)));
  EXPECT_FALSE(mailsim::core::is_stale_temporary("r.json.tmp." + std::to_string(dead)));
  mailsim::core::remove_stale_temporaries(d + "/r.json");
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(other));
  EXPECT_TRUE(fs::exists(not_ours));
}

}  // namespace
