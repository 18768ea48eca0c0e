// Writes FHIR Bundles of the sandbox's synthetic citizens (all three record types, every
// record of the data window) for the offline validators (scripts/ci-fhir, validate.js).
// With --variants, writes one Bundle per telegram of the variant corpus instead, decoded in
// the lenient policy (unparsed values, unknown codes, issues, extra items).
// usage: myna_fhir_export_sample OUT_DIR [CITIZENS=12] [SEED=20261127]
//        myna_fhir_export_sample --variants CORPUS_DIR OUT_DIR
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "myna/codec/payload.hpp"
#include "myna/export/fhir.hpp"
#include "myna/sandbox/generator.hpp"

namespace {

myna::FhirOptions sample_options(const std::string& id) {
  myna::FhirOptions options;
  options.patient_id = id;
  options.id_seed = "sample-" + id;
  options.created = "2026-01-31T09:00:00+09:00";
  options.pretty = true;
  return options;
}

template <class R>
bool write_bundle(const std::vector<R>& records, const std::string& id, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  auto writer = myna::make_fhir_writer<R>(out, sample_options(id));
  myna::Status st = writer ? myna::write_all(**writer, records) : writer.error();
  if (!st) std::cerr << path << ": " << st.error() << "\n";
  return st.ok();
}

/// One corpus telegram (its type from the file name) → OUT_DIR/<case>.json; cases the lenient
/// decoder rejects as a whole (service errors, broken structure) export nothing.
template <class R>
bool export_variant(const std::string& body, const std::string& name, const std::string& dir) {
  auto decoded = myna::codec::decode_result<R>(body, myna::Profile{}, myna::DecodeOptions{});
  if (!decoded) return true;
  return write_bundle(decoded->records, name, dir + "/" + name + ".json");
}

int export_variants(const std::string& corpus, const std::string& dir) {
  namespace fs = std::filesystem;
  bool ok = true;
  int bundles = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.path().extension() != ".telegram") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string body(std::istreambuf_iterator<char>(in), {});
    const std::string name = entry.path().stem().string();
    ++bundles;
    if (name.rfind("drug_", 0) == 0)
      ok = export_variant<myna::DrugRecord>(body, name, dir) && ok;
    else if (name.rfind("checkup_", 0) == 0)
      ok = export_variant<myna::CheckupRecord>(body, name, dir) && ok;
    else if (name.rfind("expense_", 0) == 0)
      ok = export_variant<myna::MedicalExpenseRecord>(body, name, dir) && ok;
    else
      --bundles;
  }
  std::cout << "exported " << bundles << " corpus telegrams to " << dir << "\n";
  return ok && bundles > 0 ? 0 : 1;
}

template <class R>
bool export_one(const myna::sandbox::Generator& generator, std::size_t citizen, const std::string& dir) {
  const std::string id = myna::sandbox::citizen_id(citizen);
  const std::string type(myna::english_name(myna::RecordTraits<R>::type));
  return write_bundle(generator.all_records<R>(citizen), id, dir + "/" + id + "-" + type + ".json");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help") {
    std::cerr << "usage: myna_fhir_export_sample OUT_DIR [CITIZENS=12] [SEED=20261127]\n"
                 "       myna_fhir_export_sample --variants CORPUS_DIR OUT_DIR\n";
    return 2;
  }
  if (std::string(argv[1]) == "--variants") {
    if (argc < 4) return 2;
    return export_variants(argv[2], argv[3]);
  }
  const std::string dir = argv[1];
  const std::size_t citizens = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 12;
  const myna::sandbox::Generator generator(argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 20261127);
  bool ok = true;
  for (std::size_t c = 0; c < citizens; ++c) {
    ok = export_one<myna::DrugRecord>(generator, c, dir) && ok;
    ok = export_one<myna::CheckupRecord>(generator, c, dir) && ok;
    ok = export_one<myna::MedicalExpenseRecord>(generator, c, dir) && ok;
  }
  std::cout << "exported " << citizens * 3 << " bundles to " << dir << "\n";
  return ok ? 0 : 1;
}
