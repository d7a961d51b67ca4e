#pragma once
#include "comm/communicator.hpp"

namespace spinfer::testing {
const comm::Communicator& world();
}
