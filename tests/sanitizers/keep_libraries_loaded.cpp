// Preloaded (LD_PRELOAD) into every test process by the asan preset: dlclose leaves the library
// loaded. LeakSanitizer reports at exit, after MPI_Finalize has unloaded Open MPI's plug-ins; a
// leak allocated inside an unloaded plug-in has a stack naming no library, which no suppression
// can match. Built without sanitizers, so non-instrumented processes (bash, mpirun) stay so.
extern "C" int dlclose(void* /*handle*/) {
  return 0;
}
