#ifndef LOCALGOV_SERVICES_LIAISON_CONVERT_H_
#define LOCALGOV_SERVICES_LIAISON_CONVERT_H_

#include "localgov/liaison/v1/directory.pb.h"
#include "localgov/liaison/v1/liaison_service.pb.h"
#include "services/liaison/agency.h"
#include "services/liaison/directory_store.h"
#include "services/liaison/units.h"

namespace localgov::liaison {

// Directory records to and from their wire form: used by the gRPC adapter and the snapshot.
void ToProto(const Agency& a, v1::Agency* out);
void ToProto(const AdministrativeUnit& u, v1::AdministrativeUnit* out);
void ToProto(const UnitSuccession& l, v1::UnitSuccession* out);
void ToProto(const AgencyKey& k, v1::AgencyKeyEntry* out);
AdministrativeUnit FromProto(const v1::AdministrativeUnit& p);

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_CONVERT_H_
