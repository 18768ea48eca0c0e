// The baseline of bench_retrieval: the same HTTP exchange as one SDK retrieval, written with
// raw libcurl (one reused easy handle: keep-alive, mutual TLS) and a RapidJSON DOM, plus its
// own small cpp-httplib HTTPS endpoint that receives the completion notification and answers
// the echo. The records are mapped into the same structs (DrugRecord) with the same value
// parsers (myna::assign_wire_text), so both sides do equal work.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client/support.hpp"
#include "myna/records.hpp"

namespace bench::client {

class RawRetriever {
 public:
  /// Bearer token of a consented citizen; notifications arrive on loopback `port`.
  RawRetriever(const SandboxInfo& sandbox, const std::string& access_token, int port);
  ~RawRetriever();
  RawRetriever(const RawRetriever&) = delete;
  RawRetriever& operator=(const RawRetriever&) = delete;

  /// One retrieval of 薬剤情報 for `filter` (e.g. "InfoType=1&Date=20240101-20241231");
  /// fails the bench on any error.
  std::vector<myna::DrugRecord> retrieve(const std::string& filter);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bench::client
