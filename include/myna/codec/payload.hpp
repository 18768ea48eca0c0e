// Payload codec: the records of a result telegram. The payload is a JSON document embedded
// as a string in selfPersonalDataProvisionInfo.selfPersonalData; its record keys are the
// guideline's Japanese item names. Decoding is SAX (RapidJSON Reader) straight into records,
// in one pass over the body, from a buffer or from a stream of chunks, on bounded memory.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "myna/codec/envelope.hpp"
#include "myna/records.hpp"

namespace myna {

/// A result telegram decoded into records.
template <class R>
struct ResultTelegram {
  CommonHeader header;
  std::vector<R> records;
};

/// A body that arrives in chunks (from a socket, a file, a pipe). Read by one decoder on one
/// thread; an implementation that is fed from another thread synchronises itself.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// The next chunk; an empty view means the body is complete. The view stays valid until
  /// the next call. An error stops decoding and is returned by the decoder.
  virtual Result<std::string_view> next() = 0;
};

/// Receives each record as soon as it is decoded; an error stops decoding.
template <class R>
using RecordCallback = std::function<Status(R&&)>;

/// Default name of the providing organisation written by the encoders.
inline constexpr std::string_view kDefaultProviderOrg = "社会保険診療報酬支払基金・国民健康保険中央会";

namespace codec {

/// Decodes a whole result telegram (envelope + embedded payload).
template <class R>
Result<ResultTelegram<R>> decode_result(std::string_view body, const Profile& profile);

/// Decodes a result telegram from chunks, handing records to on_record as they are decoded.
/// header receives the commonHeader. Records may be delivered before a later error: treat
/// the retrieval as complete only when this returns ok.
template <class R>
Status decode_result(ByteSource& body, const Profile& profile, const RecordCallback<R>& on_record,
                     CommonHeader& header);

/// Decodes a bare payload document (the embedded JSON, already unescaped).
template <class R>
Result<std::vector<R>> decode_payload(std::string_view payload, const Profile& profile);

/// Encodes records as a payload document.
template <class R>
std::string encode_payload(const std::vector<R>& records, const Profile& profile,
                           std::string_view provider_org = kDefaultProviderOrg);

/// Encodes a whole result telegram.
template <class R>
std::string encode_result(const CommonHeader& header, const std::vector<R>& records,
                          const Profile& profile, std::string_view provider_org = kDefaultProviderOrg);

/// Incremental encoder of a result telegram, for bodies too large to hold (streaming):
/// begin() + add()... + finish() concatenated equal encode_result(). Not thread-safe: one
/// writer per telegram, used by one thread at a time.
template <class R>
class ResultWriter {
 public:
  ResultWriter(const Profile& profile, CommonHeader header,
               std::string_view provider_org = kDefaultProviderOrg);
  ~ResultWriter();
  ResultWriter(ResultWriter&&) noexcept;
  ResultWriter& operator=(ResultWriter&&) noexcept;

  void begin(std::string& out);               ///< envelope up to the first record
  void add(const R& record, std::string& out);  ///< one record, escaped into the envelope
  void finish(std::string& out);              ///< closes the payload and the envelope

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace codec
}  // namespace myna
