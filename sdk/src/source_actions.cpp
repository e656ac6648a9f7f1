#include "photosync/sdk/source_actions.hpp"

namespace photosync::sdk {

// The key function: SourceItemActions' vtable and typeinfo live here, once,
// so dynamic_cast finds the interface in any plugin.
SourceItemActions::~SourceItemActions() = default;

}  // namespace photosync::sdk
