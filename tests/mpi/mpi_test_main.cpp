// doctest under MPI (doctest's own doctest_mpi.h is not packaged by Debian). Every rank runs
// every test case; a case fails if it failed on any rank; rank 0 reports. The world communicator
// reaches the tests through spinfer::testing::world().
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <boost/mpi.hpp>
#include <iostream>

#include "mpi_testing.hpp"

namespace spinfer::testing {
namespace {
const comm::Communicator* world_communicator = nullptr;
}
const comm::Communicator& world() {
  return *world_communicator;
}
}  // namespace spinfer::testing

int main(int argc, char** argv) {
  boost::mpi::environment environment(argc, argv);
  const spinfer::comm::Communicator world{boost::mpi::communicator()};
  spinfer::testing::world_communicator = &world;

  doctest::Context context;
  context.applyCommandLine(argc, argv);
  if (!world.is_root()) context.setOption("out", "/dev/null");  // one report, from rank 0
  int failed = context.run();
  failed = world.max(failed);
  if (world.is_root())
    std::cout << "[mpi] " << world.size() << " ranks: " << (failed ? "FAILED" : "passed")
              << std::endl;
  return failed ? 1 : 0;
}
