// Every unit each parser accepts, and the ways each rejects a value. The parsers store SI
// base units (seconds, bytes, bytes/s, 1/s, flop/s, ratio), so each case checks the factor.
#include "core/units.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

using namespace mailsim::core;

namespace {

// The UnitError message, or "" when the text parses.
template <class F>
std::string unit_error(F parse, const std::string& text) {
  try {
    parse(text);
  } catch (const UnitError& e) {
    return e.message;
  }
  return "";
}

}  // namespace

TEST(Units, DurationEveryUnit) {
  EXPECT_DOUBLE_EQ(parse_duration("100us").seconds, 1e-4);
  EXPECT_DOUBLE_EQ(parse_duration("250ms").seconds, 0.25);
  EXPECT_DOUBLE_EQ(parse_duration("1.5s").seconds, 1.5);
  EXPECT_DOUBLE_EQ(parse_duration("2m").seconds, 120);
  EXPECT_DOUBLE_EQ(parse_duration("1h").seconds, 3600);
  EXPECT_DOUBLE_EQ(parse_duration("2d").seconds, 172800);
  EXPECT_DOUBLE_EQ(parse_duration("0s").seconds, 0);
  EXPECT_DOUBLE_EQ(parse_duration("1e3ms").seconds, 1);
}

TEST(Units, DurationSpacesAroundAndBetween) {
  EXPECT_DOUBLE_EQ(parse_duration(" 5 s ").seconds, 5);
  EXPECT_DOUBLE_EQ(parse_duration("5 ms").seconds, 0.005);
}

TEST(Units, DurationErrors) {
  EXPECT_EQ(unit_error(parse_duration, "5"),
            "'5' is not a duration: a unit is required (us, ms, s, m, h, d)");
  EXPECT_EQ(unit_error(parse_duration, "5 parsecs"),
            "'5 parsecs' is not a duration: unknown unit 'parsecs' (use us, ms, s, m, h, d)");
  EXPECT_EQ(unit_error(parse_duration, "-1s"),
            "'-1s' is not a duration: must be finite and not negative");
  EXPECT_EQ(unit_error(parse_duration, "s"),
            "'s' is not a duration: expected a number followed by a unit");
  EXPECT_EQ(unit_error(parse_duration, ""),
            "'' is not a duration: expected a number followed by a unit");
  EXPECT_EQ(unit_error(parse_duration, "infs"),
            "'infs' is not a duration: must be finite and not negative");
  EXPECT_EQ(unit_error(parse_duration, "nan s"),
            "'nan s' is not a duration: must be finite and not negative");
  // Out of double's range: from_chars reports it, and so do we.
  EXPECT_EQ(unit_error(parse_duration, "1e400s"),
            "'1e400s' is not a duration: expected a number followed by a unit");
  // Units are case-sensitive: "5S" is not seconds, "5M" is not minutes.
  EXPECT_NE(unit_error(parse_duration, "5S"), "");
  EXPECT_NE(unit_error(parse_duration, "5M"), "");
  EXPECT_NE(unit_error(parse_duration, "+5s"), "");
  EXPECT_NE(unit_error(parse_duration, "5 s s"), "");
}

TEST(Units, SizeEveryUnit) {
  EXPECT_DOUBLE_EQ(parse_bytes("512B").bytes, 512);
  EXPECT_DOUBLE_EQ(parse_bytes("2KB").bytes, 2e3);
  EXPECT_DOUBLE_EQ(parse_bytes("2MB").bytes, 2e6);
  EXPECT_DOUBLE_EQ(parse_bytes("2GB").bytes, 2e9);
  EXPECT_DOUBLE_EQ(parse_bytes("2TB").bytes, 2e12);
  EXPECT_DOUBLE_EQ(parse_bytes("2KiB").bytes, 2048);
  EXPECT_DOUBLE_EQ(parse_bytes("2MiB").bytes, 2 * 1048576.0);
  EXPECT_DOUBLE_EQ(parse_bytes("2GiB").bytes, 2 * 1073741824.0);
  EXPECT_DOUBLE_EQ(parse_bytes("2TiB").bytes, 2 * 1099511627776.0);
  EXPECT_DOUBLE_EQ(parse_bytes("1.5KiB").bytes, 1536);
}

TEST(Units, SizeErrors) {
  EXPECT_EQ(unit_error(parse_bytes, "10kb"),
            "'10kb' is not a size: unknown unit 'kb' (use B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, PiB)");
  EXPECT_EQ(unit_error(parse_bytes, "10"),
            "'10' is not a size: a unit is required (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, PiB)");
  EXPECT_EQ(unit_error(parse_bytes, "-1B"), "'-1B' is not a size: must be finite and not negative");
  EXPECT_NE(unit_error(parse_bytes, "10b"), "");  // bits are not a size
  EXPECT_NE(unit_error(parse_bytes, "KiB"), "");
}

TEST(Units, BandwidthEveryUnit) {
  EXPECT_DOUBLE_EQ(parse_bandwidth("800bps").bytes_per_s, 100);
  EXPECT_DOUBLE_EQ(parse_bandwidth("8Kbps").bytes_per_s, 1e3);
  EXPECT_DOUBLE_EQ(parse_bandwidth("8Mbps").bytes_per_s, 1e6);
  EXPECT_DOUBLE_EQ(parse_bandwidth("1Gbps").bytes_per_s, 125e6);
  EXPECT_DOUBLE_EQ(parse_bandwidth("10Gbps").bytes_per_s, 1.25e9);
  EXPECT_DOUBLE_EQ(parse_bandwidth("100B/s").bytes_per_s, 100);
  EXPECT_DOUBLE_EQ(parse_bandwidth("3KB/s").bytes_per_s, 3e3);
  EXPECT_DOUBLE_EQ(parse_bandwidth("3MB/s").bytes_per_s, 3e6);
  EXPECT_DOUBLE_EQ(parse_bandwidth("3GB/s").bytes_per_s, 3e9);
}

TEST(Units, BandwidthErrors) {
  EXPECT_EQ(unit_error(parse_bandwidth, "1Tbps"),
            "'1Tbps' is not a bandwidth: unknown unit 'Tbps' (use bps, Kbps, Mbps, Gbps, B/s, "
            "KB/s, MB/s, GB/s)");
  EXPECT_EQ(unit_error(parse_bandwidth, "1000"),
            "'1000' is not a bandwidth: a unit is required (bps, Kbps, Mbps, Gbps, B/s, KB/s, "
            "MB/s, GB/s)");
  EXPECT_NE(unit_error(parse_bandwidth, "1 gbps"), "");
  EXPECT_NE(unit_error(parse_bandwidth, "1KiB/s"), "");
  EXPECT_NE(unit_error(parse_bandwidth, "-1Gbps"), "");
}

TEST(Units, RateEveryUnit) {
  EXPECT_DOUBLE_EQ(parse_rate("200/s").per_s, 200);
  EXPECT_DOUBLE_EQ(parse_rate("60/m").per_s, 1);
  EXPECT_DOUBLE_EQ(parse_rate("7200/h").per_s, 2);
  EXPECT_DOUBLE_EQ(parse_rate("86400/d").per_s, 1);
  EXPECT_DOUBLE_EQ(parse_rate("0/s").per_s, 0);
  EXPECT_DOUBLE_EQ(parse_rate("0.5 /s").per_s, 0.5);
}

TEST(Units, RateErrors) {
  EXPECT_EQ(unit_error(parse_rate, "10/min"),
            "'10/min' is not a rate: unknown unit '/min' (use /s, /m, /h, /d)");
  EXPECT_EQ(unit_error(parse_rate, "10"),
            "'10' is not a rate: a unit is required (/s, /m, /h, /d)");
  EXPECT_NE(unit_error(parse_rate, "10 per s"), "");
  EXPECT_NE(unit_error(parse_rate, "10/S"), "");
  EXPECT_NE(unit_error(parse_rate, "-10/s"), "");
}

TEST(Units, SpeedEveryUnit) {
  EXPECT_DOUBLE_EQ(parse_speed("5f").flops, 5);
  EXPECT_DOUBLE_EQ(parse_speed("5kf").flops, 5e3);
  EXPECT_DOUBLE_EQ(parse_speed("5Mf").flops, 5e6);
  EXPECT_DOUBLE_EQ(parse_speed("2.4Gf").flops, 2.4e9);
  EXPECT_DOUBLE_EQ(parse_speed("1Tf").flops, 1e12);
}

TEST(Units, SpeedErrors) {
  EXPECT_EQ(unit_error(parse_speed, "2GHz"),
            "'2GHz' is not a CPU speed: unknown unit 'GHz' (use f, kf, Mf, Gf, Tf)");
  EXPECT_EQ(unit_error(parse_speed, "2"),
            "'2' is not a CPU speed: a unit is required (f, kf, Mf, Gf, Tf)");
  EXPECT_NE(unit_error(parse_speed, "2gf"), "");
  EXPECT_NE(unit_error(parse_speed, "2Kf"), "");  // SimGrid writes kilo as k
}

TEST(Units, Fractions) {
  EXPECT_DOUBLE_EQ(parse_fraction("5%").value, 0.05);
  EXPECT_DOUBLE_EQ(parse_fraction("0.05").value, 0.05);
  EXPECT_DOUBLE_EQ(parse_fraction("100%").value, 1);
  EXPECT_DOUBLE_EQ(parse_fraction("1").value, 1);
  EXPECT_DOUBLE_EQ(parse_fraction("0").value, 0);
  EXPECT_DOUBLE_EQ(parse_fraction("0%").value, 0);
  EXPECT_DOUBLE_EQ(parse_fraction("12.5 %").value, 0.125);
}

TEST(Units, FractionErrors) {
  EXPECT_EQ(unit_error(parse_fraction, "101%"), "'101%' is not a fraction: must be at most 100%");
  EXPECT_EQ(unit_error(parse_fraction, "150%"), "'150%' is not a fraction: must be at most 100%");
  EXPECT_EQ(unit_error(parse_fraction, "1.5"), "'1.5' is not a fraction: must be at most 100%");
  EXPECT_EQ(unit_error(parse_fraction, "5pc"),
            "'5pc' is not a fraction: use a percentage like 5% or a number in [0, 1]");
  EXPECT_EQ(unit_error(parse_fraction, "-5%"),
            "'-5%' is not a fraction: must be finite and not negative");
  EXPECT_EQ(unit_error(parse_fraction, "half"),
            "'half' is not a fraction: expected a number followed by a unit");
}

TEST(Units, FormatDuration) {
  EXPECT_EQ(format_duration({0}), "0s");
  EXPECT_EQ(format_duration({1.5}), "1.5s");
  EXPECT_EQ(format_duration({0.25}), "250ms");
  EXPECT_EQ(format_duration({120}), "2m");
  EXPECT_EQ(format_duration({90}), "90s");
  EXPECT_EQ(format_duration({3600}), "1h");
  EXPECT_EQ(format_duration({86400}), "24h");
  EXPECT_EQ(format_duration({1e-4}), "100us");
  EXPECT_EQ(format_duration(parse_duration("100us")), "100us");  // no 99.99999999999999us
  EXPECT_EQ(format_duration(parse_duration("0.3ms")), "300us");
  EXPECT_EQ(format_duration(parse_duration("1.1s")), "1.1s");
  EXPECT_EQ(format_duration(parse_duration("7ms")), "7ms");
}

TEST(Units, FormatDurationRoundTrips) {
  for (double s :
       {0.0, 1e-6, 5e-5, 0.004, 0.25, 1.0, 1.5, 30.0, 60.0, 90.0, 3600.0, 5400.0, 86400.0}) {
    Duration d{s};
    EXPECT_NEAR(parse_duration(format_duration(d)).seconds, s, s * 1e-12) << format_duration(d);
  }
}

TEST(Units, QuantitiesCompare) {
  EXPECT_LT(parse_duration("999ms"), parse_duration("1s"));
  EXPECT_EQ(parse_bytes("1KiB"), parse_bytes("1024B"));
  EXPECT_EQ(parse_bandwidth("8bps"), parse_bandwidth("1B/s"));
  EXPECT_EQ(parse_rate("1/s"), parse_rate("60/m"));
  EXPECT_GT(parse_speed("1Gf"), parse_speed("999Mf"));
  EXPECT_EQ(parse_fraction("50%"), parse_fraction("0.5"));
}

// ---- error.hpp: the one-line error format and did-you-mean --------------------------

TEST(InputErrorFormat, FileLineCol) {
  InputError e({"lb.yaml", 3, 5}, "unknown key 'x'");
  EXPECT_STREQ(e.what(), "lb.yaml:3:5: unknown key 'x'");
  EXPECT_EQ(e.message(), "unknown key 'x'");
  EXPECT_EQ(e.mark().file, "lb.yaml");
  EXPECT_EQ(e.mark().line, 3);
  EXPECT_EQ(e.mark().col, 5);
}

TEST(InputErrorFormat, UnknownPositionAndFile) {
  EXPECT_STREQ(InputError({"lb.yaml", 0, 0}, "cannot open file").what(),
               "lb.yaml: cannot open file");
  EXPECT_STREQ(InputError({"", 2, 1}, "bad").what(), "<input>:2:1: bad");
}

// Messages echo user input; the error must stay one printable line of valid UTF-8.
TEST(InputErrorFormat, EchoedInputIsMadePrintable) {
  EXPECT_STREQ(InputError({"f.yaml", 1, 7}, "'a\nb' is not a valid name").what(),
               "f.yaml:1:7: 'a\\x0ab' is not a valid name");
  EXPECT_STREQ(
      InputError({"f.yaml", 1, 7}, std::string("'a\0b' bad", sizeof("'a\0b' bad") - 1)).what(),
      "f.yaml:1:7: 'a\\x00b' bad");
  EXPECT_STREQ(InputError({"f.yaml", 1, 1}, "tab\there").what(), "f.yaml:1:1: tab\\x09here");
  EXPECT_STREQ(InputError({"f.yaml", 1, 1}, "'\xc3\x28' x").what(),
               "f.yaml:1:1: '\\xc3(' x");  // bad 2nd byte
  EXPECT_STREQ(InputError({"f.yaml", 1, 1}, "'\xc0\xaf'").what(),
               "f.yaml:1:1: '\\xc0\\xaf'");  // overlong
  EXPECT_STREQ(InputError({"f.yaml", 1, 1}, "'\xed\xa0\x80'").what(),
               "f.yaml:1:1: '\\xed\\xa0\\x80'");  // surrogate
  EXPECT_STREQ(InputError({"f.yaml", 1, 1}, "'\xe2\x82'").what(),
               "f.yaml:1:1: '\\xe2\\x82'");  // cut short
  // Well-formed UTF-8 is kept as it is.
  EXPECT_STREQ(InputError({"f.yaml", 1, 1}, "узел 'почта-1' 🙂").what(),
               "f.yaml:1:1: узел 'почта-1' 🙂");
  InputError e({"f.yaml", 1, 1}, "x\ny");
  EXPECT_EQ(e.message(), "x\\x0ay");
}

TEST(InputErrorFormat, LongMessagesAreCut) {
  InputError e({"f.yaml", 1, 1}, "unknown key '" + std::string(100'000, 'k') + "'");
  EXPECT_LE(e.message().size(), 1010u);
  EXPECT_EQ(e.message().substr(e.message().size() - 3), "...");
  EXPECT_EQ(std::string(e.what()).rfind("f.yaml:1:1: unknown key 'kkk", 0), 0u);
}

TEST(InputErrorFormat, AssertThrowsInternalError) {
  try {
    MAILSIM_ASSERT(1 + 1 == 3, "arithmetic broke");
    FAIL() << "no throw";
  } catch (const InternalError& e) {
    std::string w = e.what();
    EXPECT_NE(w.find("units_test.cpp:"), std::string::npos) << w;
    EXPECT_NE(w.find(": arithmetic broke"), std::string::npos) << w;
  }
  EXPECT_NO_THROW(MAILSIM_ASSERT(true, "fine"));
}

TEST(InputErrorFormat, ExitCodes) {
  EXPECT_EQ(kExitOk, 0);
  EXPECT_EQ(kExitExpectationsFailed, 1);
  EXPECT_EQ(kExitBadInput, 2);
  EXPECT_EQ(kExitInternal, 3);
}

TEST(DidYouMean, Typos) {
  const std::vector<std::string> keys = {"name", "cores", "speed", "zone"};
  EXPECT_EQ(did_you_mean("corse", keys), " (did you mean 'cores'?)");
  EXPECT_EQ(did_you_mean("cores", keys), " (did you mean 'cores'?)");
  EXPECT_EQ(did_you_mean("nmae", keys), " (did you mean 'name'?)");
  EXPECT_EQ(did_you_mean("sped", keys), " (did you mean 'speed'?)");
  EXPECT_EQ(did_you_mean("zoen", keys), " (did you mean 'zone'?)");  // a swap is one edit
  EXPECT_EQ(did_you_mean("colour", keys), "");
  EXPECT_EQ(did_you_mean("", keys), "");
  EXPECT_EQ(did_you_mean("corse", {}), "");
}

TEST(DidYouMean, ThresholdIsAThirdOfTheWord) {
  // A 6-letter word tolerates 2 edits, not 3.
  EXPECT_EQ(did_you_mean("abcdef", {"abcdxy"}), " (did you mean 'abcdxy'?)");
  EXPECT_EQ(did_you_mean("abcdef", {"abcxyz"}), "");
  // Short words still get one edit.
  EXPECT_EQ(did_you_mean("ab", {"ac"}), " (did you mean 'ac'?)");
  EXPECT_EQ(did_you_mean("ab", {"cd"}), "");
}

TEST(DidYouMean, ClosestWinsThenFirst) {
  EXPECT_EQ(did_you_mean("mail2", {"mail-1", "mail-2"}), " (did you mean 'mail-2'?)");
  EXPECT_EQ(did_you_mean("lb-3", {"lb-1", "lb-2"}), " (did you mean 'lb-1'?)");
  // Equally close: the longer shared prefix wins.
  EXPECT_EQ(did_you_mean("rat", {"at", "rate"}), " (did you mean 'rate'?)");
  EXPECT_EQ(did_you_mean("rat", {"rate", "at"}), " (did you mean 'rate'?)");
}

// Each kind has a largest value, checked after the unit is applied: a number that is finite
// as written but overflows once scaled (1e308d) is refused, never turned into infinity.
TEST(Units, LimitsAreCheckedAfterTheUnit) {
  EXPECT_DOUBLE_EQ(parse_duration("36525d").seconds, kMaxDurationS);
  EXPECT_EQ(unit_error(parse_duration, "36526d"), "'36526d' is not a duration: must be at most 100 years (36525d)");
  EXPECT_EQ(unit_error(parse_duration, "1e308d"), "'1e308d' is not a duration: must be at most 100 years (36525d)");
  EXPECT_EQ(unit_error(parse_bytes, "1e300TiB"), "'1e300TiB' is not a size: must be at most 1PiB");
  EXPECT_DOUBLE_EQ(parse_bytes("1PiB").bytes, kMaxBytes);
  EXPECT_EQ(unit_error(parse_bandwidth, "1e308GB/s"), "'1e308GB/s' is not a bandwidth: must be at most 10Tbps");
  EXPECT_EQ(unit_error(parse_rate, "1e308/s"), "'1e308/s' is not a rate: must be at most 1e9/s");
  EXPECT_EQ(unit_error(parse_speed, "1e308Tf"), "'1e308Tf' is not a CPU speed: must be at most 1000Tf");
  EXPECT_DOUBLE_EQ(parse_speed("1000Tf").flops, kMaxSpeed);
}
