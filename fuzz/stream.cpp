// Streaming decoder, differential: decode_result<R> from a ByteSource that hands the body out
// in chunks must agree with decode_result<R> on the whole buffer for every input: the same
// ok/error, header, records with their issues and wire texts, and error category, message and
// location. Both read the payload with the payload scanner (RapidJSON's reader takes over only
// where the scanner stops: errors); a third decoder, the reference, reads it with RapidJSON
// from the start, and the buffer decoder must agree with it the same way: scanner against
// RapidJSON.
// Input: [selector][k][k chunk sizes][stop index if selected] body. selector % 3 picks the
// record type; selector & 4 makes the record callback fail at the given record; selector & 8
// decodes strictly. Chunk sizes are 1..256 bytes, used in turn.
#include <memory>
#include <vector>

#include "codec/decode_unchecked.hpp"
#include "fuzz.hpp"
#include "myna/codec/payload.hpp"

namespace {

using namespace myna;

/// Hands out the body in chunks, each in its own exact-size heap block that is freed at the
/// next call: reading past a chunk or keeping a stale view is caught by ASan.
class ChunkSource : public ByteSource {
 public:
  ChunkSource(std::string_view body, std::vector<std::size_t> sizes) : body_(body), sizes_(std::move(sizes)) {}
  Result<std::string_view> next() override {
    chunk_.reset();
    if (body_.empty()) return std::string_view{};
    const std::size_t n = std::min(sizes_[calls_++ % sizes_.size()], body_.size());
    chunk_ = std::make_unique<char[]>(n);
    std::copy(body_.begin(), body_.begin() + static_cast<std::ptrdiff_t>(n), chunk_.get());
    body_.remove_prefix(n);
    return std::string_view(chunk_.get(), n);
  }

 private:
  std::string_view body_;
  std::vector<std::size_t> sizes_;
  std::unique_ptr<char[]> chunk_;
  std::size_t calls_ = 0;
};

struct Plan {
  int type = 0;
  bool stop = false;
  DecodeOptions options;
  std::size_t stop_at = 0;
  std::vector<std::size_t> sizes;
  std::string_view body;
};

Plan read_plan(std::string_view input) {
  fuzz::Bytes bytes(input);
  Plan plan;
  const std::uint8_t selector = bytes.byte();
  plan.type = selector % 3;
  plan.stop = (selector & 4) != 0;
  plan.options.policy = (selector & 8) != 0 ? DecodePolicy::strict : DecodePolicy::lenient;
  const int k = 1 + bytes.byte() % 8;
  for (int i = 0; i < k; ++i) plan.sizes.push_back(1 + std::size_t{bytes.byte()});
  if (plan.stop) plan.stop_at = bytes.byte();
  plan.body = bytes.rest();
  return plan;
}

bool same_error(const Error& a, const Error& b) { return fuzz::describe(a) == fuzz::describe(b); }

const Error& stop_error() {
  static const Error e(ErrorCategory::storage, "fuzz: the record callback stops here");
  return e;
}

template <class R>
void same_records(const std::vector<R>& records, const std::vector<R>& expected, const char* what) {
  if (records.size() != expected.size()) fuzz::fail(std::string(what) + ": record counts differ");
  for (std::size_t i = 0; i < records.size(); ++i) {
    const R &a = records[i], &b = expected[i];
    const std::string which = std::string(what) + ": record #" + std::to_string(i);
    if (!records_equal(a, b)) fuzz::fail(which + " differs");
    if (a.issues != b.issues) fuzz::fail(which + ": the issues differ");
    for (const FieldInfo& f : catalog<R>())
      if (to_wire_text(f.of(a)) != to_wire_text(f.of(b)))
        fuzz::fail(which + ": item " + std::to_string(f.number) + " has another wire text");
  }
}

template <class T>
Status status_of(const Result<T>& result) {
  return result ? Status() : Status(result.error());
}

// Two decoders agree on failing, and on the error; true when both succeeded.
bool same_outcome(const Status& a, const Status& b, const std::string& a_name, const std::string& b_name) {
  if (a.ok() != b.ok()) fuzz::fail("only the " + (a ? b_name : a_name) + " decoder fails", a ? b.error() : a.error());
  if (a) return true;
  if (!same_error(a.error(), b.error()))
    fuzz::fail("errors differ:\n  " + a_name + ": " + fuzz::describe(a.error()) + "\n  " + b_name + ": " +
               fuzz::describe(b.error()));
  return false;
}

// The buffer decoder (payload scanner) against the reference decoder (RapidJSON throughout).
template <class R>
void against_reference(const Result<ResultTelegram<R>>& whole, const Plan& plan, const Profile& profile) {
  const auto reference = internal::decode_result_reference<R>(plan.body, profile, plan.options);
  if (!same_outcome(status_of(whole), status_of(reference), "scanner", "reference")) return;
  if (!(reference->header == whole->header)) fuzz::fail("scanner and reference: headers differ");
  same_records(whole->records, reference->records, "scanner and reference");
}

template <class R>
void compare(const Plan& plan) {
  static const Profile profile;
  const auto whole = codec::decode_result<R>(plan.body, profile, plan.options);
  against_reference<R>(whole, plan, profile);

  ChunkSource source(plan.body, plan.sizes);
  std::vector<R> records;
  CommonHeader header;
  const RecordCallback<R> on_record = [&](R&& r) -> Status {
    if (plan.stop && records.size() == plan.stop_at) return stop_error();
    records.push_back(std::move(r));
    return {};
  };
  const Status streamed = codec::decode_result<R>(source, profile, plan.options, on_record, header);

  if (plan.stop && !streamed && same_error(streamed.error(), stop_error())) {
    if (records.size() != plan.stop_at) fuzz::fail("the callback's error came at the wrong record");
    if (whole && whole->records.size() <= plan.stop_at) fuzz::fail("the callback saw more records than exist");
    return;
  }
  if (plan.stop && whole && whole->records.size() > plan.stop_at) fuzz::fail("the callback's error is lost");
  if (!same_outcome(status_of(whole), streamed, "buffer", "streaming")) return;
  if (!(header == whole->header)) fuzz::fail("headers differ");
  same_records(records, whole->records, "streaming and buffer");
}

}  // namespace

MYNA_FUZZ_TARGET(stream) {
  const Plan plan = read_plan(input);
  switch (plan.type) {
    case 0: return compare<DrugRecord>(plan);
    case 1: return compare<CheckupRecord>(plan);
    default: return compare<MedicalExpenseRecord>(plan);
  }
}
