// The dossier service binary: wiring only.
#include "common/service.h"
#include "services/dossier/dossier_spec.h"

int main(int argc, char** argv) {
  return localgov::ServiceMain(localgov::dossier::Spec(), argc, argv);
}
