#include "tests/test_support.hpp"

#include <memory>

namespace spinfer::testing {

const comm::Communicator& self() {
  static int argc = 0;
  static char** argv = nullptr;
  static const std::unique_ptr<comm::Environment> environment =
      std::make_unique<comm::Environment>(argc, argv);
  static const comm::Communicator world = environment->world();
  return world;
}

RunConfig config_with(std::vector<std::string> overrides) {
  ConfigSource source;
  source.overrides = std::move(overrides);
  return resolve_config(source);
}

}  // namespace spinfer::testing
