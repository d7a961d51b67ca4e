#include "runtime/io/csv_text.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>

using spinfer::CsvText;

// The CSV outputs were written with an ostream at precision(10); the faster writer must give the
// same bytes, so files stay comparable across versions.
TEST_CASE("CsvText writes numbers byte for byte as an ostream with precision 10") {
  const double doubles[] = {0.0,
                            -0.0,
                            1.0,
                            -0.43238,
                            1.0 / 3.0,
                            -2.0 / 3.0 * 1e-7,
                            123456789.0123,
                            1e21,
                            6.02214076e23,
                            std::numeric_limits<double>::min(),
                            std::numeric_limits<double>::denorm_min(),
                            std::numeric_limits<double>::max(),
                            std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(),
                            std::nan("")};
  for (const double x : doubles) {
    std::ostringstream expected;
    expected.precision(10);
    expected << x << ',' << std::int64_t{-1234567890123} << ',' << std::size_t{42} << ',' << 7
             << '\n';
    CsvText text;
    text << x << ',' << std::int64_t{-1234567890123} << ',' << std::size_t{42} << ',' << 7 << '\n';
    CAPTURE(x);
    CHECK(std::move(text).str() == expected.str());
  }
}
