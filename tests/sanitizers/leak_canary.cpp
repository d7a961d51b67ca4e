// Leaks on purpose after MPI_Init: the sanitizers/leak_canary test passes only if LeakSanitizer
// reports this leak, so the Open MPI suppressions can never hide leaks of our own code unnoticed.
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

int main(int argc, char** argv) {
  const boost::mpi::environment environment(argc, argv);
  const boost::mpi::communicator world;
  int* leaked = new int[10];
  leaked[0] = world.rank();
  return leaked[0] < 0;
}
