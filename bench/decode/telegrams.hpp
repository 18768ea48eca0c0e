// Result telegrams made by the sandbox's generator (the tests' ground truth): the records of
// consecutive citizens, written by codec::ResultWriter exactly as the sandbox serves them.
#pragma once

#include <string>
#include <vector>

#include "myna/codec/payload.hpp"
#include "myna/sandbox/generator.hpp"

namespace bench {

template <class R>
struct Telegram {
  std::string body;
  std::vector<R> records;  ///< what the body holds, in order
};

inline myna::CommonHeader result_header() {
  myna::CommonHeader h;
  h.telegram_id = "TL-00000086-261127093000-0001";
  h.telegram_type = "IFA0303-S01";
  h.mode = "1";
  h.process_id = "P0000000001";
  return h;
}

/// One telegram of at least min_bytes, from citizens first_citizen, first_citizen + 1, ...
template <class R>
Telegram<R> make_telegram(std::size_t min_bytes, const myna::Profile& profile, std::size_t first_citizen = 0) {
  const myna::sandbox::Generator generator;
  myna::codec::ResultWriter<R> writer(profile, result_header());
  Telegram<R> t;
  writer.begin(t.body);
  for (std::size_t citizen = first_citizen; t.body.size() < min_bytes; ++citizen) {
    for (R& record : generator.all_records<R>(citizen)) {
      writer.add(record, t.body);
      t.records.push_back(std::move(record));
    }
  }
  writer.finish(t.body);
  return t;
}

/// The telegram of one citizen (what one real retrieval returns).
template <class R>
std::string citizen_telegram(std::size_t citizen, const myna::Profile& profile) {
  const myna::sandbox::Generator generator;
  return myna::codec::encode_result(result_header(), generator.all_records<R>(citizen), profile);
}

}  // namespace bench
