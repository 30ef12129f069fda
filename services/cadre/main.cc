// The cadre service binary: wiring only.
#include "common/service.h"
#include "services/cadre/cadre_spec.h"

int main(int argc, char** argv) {
  return localgov::ServiceMain(localgov::cadre::Spec(), argc, argv);
}
