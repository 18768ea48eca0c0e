#include "result_body.hpp"

namespace myna::internal::sandbox {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

template <class R>
class RecordsBody final : public BodySource {
 public:
  RecordsBody(const Profile& profile, CommonHeader header, std::vector<R> records)
      : writer_(profile, std::move(header)), records_(std::move(records)) {}

  bool next(std::string& out) override {
    if (finished_) return false;
    const std::size_t start = out.size();  // drain() appends every part to one string
    if (!begun_) writer_.begin(out), begun_ = true;
    while (out.size() - start < kChunkBytes && index_ < records_.size()) writer_.add(records_[index_++], out);
    if (index_ == records_.size()) writer_.finish(out), finished_ = true;
    return true;
  }

 private:
  codec::ResultWriter<R> writer_;
  std::vector<R> records_;
  std::size_t index_ = 0;
  bool begun_ = false, finished_ = false;
};

class BulkBody final : public BodySource {
 public:
  BulkBody(const Profile& profile, CommonHeader header, std::shared_ptr<const std::vector<DrugRecord>> pool,
           std::uint64_t bytes)
      : writer_(profile, std::move(header)), pool_(std::move(pool)), target_(bytes) {}

  bool next(std::string& out) override {
    if (finished_) return false;
    std::size_t start = out.size();
    if (!begun_) writer_.begin(out), begun_ = true;
    while (out.size() - start < kChunkBytes && written_ + (out.size() - start) < target_ && !pool_->empty())
      writer_.add((*pool_)[index_++ % pool_->size()], out);
    written_ += out.size() - start;
    if (written_ >= target_ || pool_->empty()) writer_.finish(out), finished_ = true;
    return true;
  }

 private:
  codec::ResultWriter<DrugRecord> writer_;
  std::shared_ptr<const std::vector<DrugRecord>> pool_;
  std::uint64_t target_, written_ = 0;
  std::size_t index_ = 0;
  bool begun_ = false, finished_ = false;
};

}  // namespace

template <class R>
std::unique_ptr<BodySource> records_body(const Profile& profile, CommonHeader header, std::vector<R> records) {
  return std::make_unique<RecordsBody<R>>(profile, std::move(header), std::move(records));
}

std::unique_ptr<BodySource> bulk_body(const Profile& profile, CommonHeader header,
                                      std::shared_ptr<const std::vector<DrugRecord>> pool, std::uint64_t bytes) {
  return std::make_unique<BulkBody>(profile, std::move(header), std::move(pool), bytes);
}

std::string drain(BodySource& source) {
  std::string body;
  while (source.next(body)) {}
  return body;
}

template std::unique_ptr<BodySource> records_body(const Profile&, CommonHeader, std::vector<DrugRecord>);
template std::unique_ptr<BodySource> records_body(const Profile&, CommonHeader, std::vector<CheckupRecord>);
template std::unique_ptr<BodySource> records_body(const Profile&, CommonHeader, std::vector<MedicalExpenseRecord>);

}  // namespace myna::internal::sandbox
