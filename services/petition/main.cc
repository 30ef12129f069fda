// The petition service binary: wiring only.
#include "common/service.h"
#include "services/petition/petition_spec.h"

int main(int argc, char** argv) {
  return localgov::ServiceMain(localgov::petition::Spec(), argc, argv);
}
