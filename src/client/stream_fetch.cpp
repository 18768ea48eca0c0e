#include "client/stream_fetch.hpp"

#include <thread>

#include "client/chunk_pipe.hpp"
#include "codec/decode_unchecked.hpp"

namespace myna::internal {
namespace {

constexpr std::size_t kStreamPipeBytes = std::size_t{1} << 20;

// One transfer of the result through the pipe. The outcome is the transfer's error unless the
// decoder (or on_record) failed first: then the transfer only ended because it stopped reading.
template <class R>
Status stream_once(const RetrievalEngine& engine, const Retrieval& r, const RecordCallback<R>& on_record,
                   const Context& context, CommonHeader& header, RetrievalInfo& info) {
  const Profile& profile = engine.profile();
  const std::string body = engine.result_request(r);
  ChunkPipe pipe(kStreamPipeBytes);
  Result<HttpResponse> response = Error(ErrorCategory::network, "no response");
  std::uint64_t bytes = 0;
  std::thread producer([&] {
    response = engine.service().post(r.citizen, profile.result_path, body, true, context, info.result_attempts,
                                     [&](std::string_view chunk) {
                                       bytes += chunk.size();
                                       return pipe.push(chunk);
                                     });
    pipe.close();
  });
  Status decoded = decode_result_unchecked<R>(pipe, profile, engine.options().decode, on_record, header);
  pipe.abandon();
  producer.join();
  if (response || bytes > 0) {
    info.fetched_at = std::chrono::system_clock::now();
    info.bytes = bytes;
  }
  const bool decoder_first = !decoded.ok() && pipe.refused();
  Status outcome = !response && !decoder_first ? response.error() : decoded;
  if (!outcome.ok()) return std::move(outcome).error().with_context("result telegram " + r.telegram_id);
  return outcome;
}

}  // namespace

template <class R>
Status stream_records(const RetrievalEngine& engine, const Retrieval& r, bool fallback,
                      const RecordCallback<R>& on_record, const Context& context, RetrievalInfo& info) {
  RecordCallback<R> counting = [&](R&& record) {
    ++info.records;
    info.issues.add(record.issues);
    return on_record(std::move(record));
  };
  const RetrySchedule waits = engine.schedule();
  for (int attempt = 1;; ++attempt) {
    CommonHeader header;
    Status outcome = stream_once<R>(engine, r, counting, context, header, info);
    bool not_ready = false;
    if (outcome.ok()) outcome = engine.check_result_header(r, header, not_ready);
    if (outcome.ok() && !not_ready) return {};
    const bool retryable =
        info.records == 0 &&
        (not_ready ? !fallback : is_retryable(outcome.error()) || outcome.error().category() == ErrorCategory::decode);
    if (!retryable || !waits.wait_before_next(attempt, context))
      return not_ready ? Status(engine.not_ready_error(r)) : outcome;
  }
}

template Status stream_records<DrugRecord>(const RetrievalEngine&, const Retrieval&, bool,
                                           const RecordCallback<DrugRecord>&, const Context&, RetrievalInfo&);
template Status stream_records<CheckupRecord>(const RetrievalEngine&, const Retrieval&, bool,
                                              const RecordCallback<CheckupRecord>&, const Context&, RetrievalInfo&);
template Status stream_records<MedicalExpenseRecord>(const RetrievalEngine&, const Retrieval&, bool,
                                                     const RecordCallback<MedicalExpenseRecord>&, const Context&,
                                                     RetrievalInfo&);

}  // namespace myna::internal
