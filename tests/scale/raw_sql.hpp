// Direct libpq access for tests: to look at what the component wrote and to hold locks.
#pragma once

#include <libpq-fe.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace myna::test {

class RawSql {
 public:
  explicit RawSql(const std::string& conninfo) : c_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) throw std::runtime_error(std::string("RawSql: ") + PQerrorMessage(c_));
  }
  ~RawSql() { PQfinish(c_); }
  RawSql(const RawSql&) = delete;
  RawSql& operator=(const RawSql&) = delete;

  /// Rows of text values ("" for NULL); throws on an error.
  std::vector<std::vector<std::string>> query(const char* sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(c_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    const auto status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      std::string message = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("RawSql: " + message);
    }
    std::vector<std::vector<std::string>> rows(static_cast<std::size_t>(PQntuples(r)));
    for (int i = 0; i < PQntuples(r); ++i)
      for (int j = 0; j < PQnfields(r); ++j) rows[static_cast<std::size_t>(i)].emplace_back(PQgetvalue(r, i, j));
    PQclear(r);
    return rows;
  }
  std::string scalar(const char* sql, const std::vector<std::string>& params = {}) {
    auto rows = query(sql, params);
    return rows.empty() || rows[0].empty() ? "" : rows[0][0];
  }

 private:
  PGconn* c_;
};

}  // namespace myna::test
