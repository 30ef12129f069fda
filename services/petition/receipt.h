#ifndef LOCALGOV_SERVICES_PETITION_RECEIPT_H_
#define LOCALGOV_SERVICES_PETITION_RECEIPT_H_

#include <string>

#include "common/print/paper.h"
#include "localgov/petition/v1/petition.pb.h"

// The reception office's receipt of a petition (giấy biên nhận đơn), filled from the
// petition: a pure function of values (the rendering is common/print). A denunciation's
// receipt never names the denouncer (Law on Denunciation 25/2018 Art. 47: the identity is
// kept secret).
namespace localgov::petition {

struct ReceiptContext {
  std::string agency_name;  // the handling agency's name (its code when unknown)
  std::string lookup_url_template = print::kDefaultPortalLookupUrl;
};

print::Paper PetitionReceiptContent(const v1::Petition& p, const ReceiptContext& context);

// "<code>-bien-nhan.pdf".
std::string PetitionReceiptFileName(const std::string& code);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_RECEIPT_H_
