#include "services/liaison/convert.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::liaison {
namespace {
google::protobuf::Timestamp Ts(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}
}  // namespace

void ToProto(const Agency& a, v1::Agency* out) {
  out->set_code(a.code);
  out->set_name(a.name);
  out->set_kind(static_cast<v1::AgencyKind>(a.kind));
  out->set_administrative_unit_code(a.administrative_unit_code);
  out->set_status(static_cast<v1::AgencyStatus>(a.status));
  *out->mutable_create_time() = Ts(a.created_at);
  out->set_etag(absl::StrCat("v", a.version));
  out->set_successor_code(a.successor_code);
  out->set_status_effective_date(a.status_effective);
  out->set_receiver_endpoint(a.receiver_endpoint);
}

void ToProto(const AdministrativeUnit& u, v1::AdministrativeUnit* out) {
  out->set_code(u.code);
  out->set_name(u.name);
  out->set_level(static_cast<v1::UnitLevel>(u.level));
  out->set_parent_code(u.parent_code);
  out->set_valid_from(u.valid_from);
  out->set_valid_until(u.valid_until);
}

void ToProto(const UnitSuccession& l, v1::UnitSuccession* out) {
  out->set_predecessor_code(l.predecessor);
  out->set_successor_code(l.successor);
  out->set_kind(static_cast<v1::SuccessionKind>(l.kind));
  out->set_effective_date(l.effective);
}

void ToProto(const AgencyKey& k, v1::AgencyKeyEntry* out) {
  out->set_agency_code(k.agency);
  out->set_key_id(k.key_id);
  out->set_public_key(k.public_key);
  *out->mutable_valid_from() = Ts(k.valid_from);
  if (k.valid_until != absl::InfiniteFuture()) *out->mutable_valid_until() = Ts(k.valid_until);
}

AdministrativeUnit FromProto(const v1::AdministrativeUnit& p) {
  AdministrativeUnit u;
  u.code = p.code();
  u.name = p.name();
  u.level = p.level();
  u.parent_code = p.parent_code();
  u.valid_from = p.valid_from();
  u.valid_until = p.valid_until();
  return u;
}

}  // namespace localgov::liaison
