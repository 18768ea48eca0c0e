// Envelope decoder: decode_header and decode_request on any bytes. Properties: no crash; an
// error is a decode error with an envelope location; what decodes re-encodes to itself.
#include "myna/codec/envelope.hpp"
#include "fuzz.hpp"

namespace {

using namespace myna;

void check_error(const Error& e, const char* what) {
  if (e.category() != ErrorCategory::decode || !e.location()) fuzz::fail(what, e);
}

void header_round_trip(const CommonHeader& h, const Profile& profile) {
  auto again = codec::decode_header(codec::encode_header(h), profile);
  if (!again) fuzz::fail("encode_header output does not decode", again.error());
  if (!(*again == h)) fuzz::fail("decode_header(encode_header(h)) != h");
}

void request_round_trip(const RequestTelegram& t, const Profile& profile) {
  auto again = codec::decode_request(codec::encode_request(t), profile);
  if (!again) fuzz::fail("encode_request output does not decode", again.error());
  if (!(again->header == t.header) || again->inquiry_condition != t.inquiry_condition)
    fuzz::fail("decode_request(encode_request(t)) != t");
}

}  // namespace

MYNA_FUZZ_TARGET(envelope) {
  static const Profile profile;
  auto header = codec::decode_header(input, profile);
  if (header)
    header_round_trip(*header, profile);
  else
    check_error(header.error(), "decode_header error is not a located decode error");

  auto request = codec::decode_request(input, profile);
  if (request) {
    request_round_trip(*request, profile);
    if (!header || !(request->header == *header)) fuzz::fail("decode_request accepts what decode_header refuses");
  } else {
    check_error(request.error(), "decode_request error is not a located decode error");
  }
  if (header) (void)codec::check_service_error(*header, profile);
}
