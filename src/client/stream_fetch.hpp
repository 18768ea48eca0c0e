// The result of a claimed retrieval streamed to a callback: the transfer runs on a producer
// thread and feeds a bounded pipe that the payload decoder reads, so memory stays bounded
// whatever the size of the result. Internal to the client.
#pragma once

#include "client/retrieval_engine.hpp"

namespace myna::internal {

/// Hands each record to on_record as it is decoded, counting it and its issues into info.
/// Asks again (on the engine's schedule) only while no record was delivered: after a
/// transient failure, a corrupt body or a not-ready answer (not on the fallback).
template <class R>
Status stream_records(const RetrievalEngine& engine, const Retrieval& r, bool fallback,
                      const RecordCallback<R>& on_record, const Context& context, RetrievalInfo& info);

}  // namespace myna::internal
