// The liaison service binary: wiring only.
#include "common/service.h"
#include "services/liaison/liaison_spec.h"

int main(int argc, char** argv) {
  return localgov::ServiceMain(localgov::liaison::Spec(), argc, argv);
}
