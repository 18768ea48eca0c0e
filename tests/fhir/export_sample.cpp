// Writes FHIR Bundles of the sandbox's synthetic citizens (all three record types, every
// record of the data window) for the offline validators (scripts/ci-fhir, validate.js).
// usage: myna_fhir_export_sample OUT_DIR [CITIZENS=12] [SEED=20261127]
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "myna/export/fhir.hpp"
#include "myna/sandbox/generator.hpp"

namespace {

template <class R>
bool export_one(const myna::sandbox::Generator& generator, std::size_t citizen, const std::string& dir) {
  const std::string id = myna::sandbox::citizen_id(citizen);
  const std::string type(myna::english_name(myna::RecordTraits<R>::type));
  const std::string path = dir + "/" + id + "-" + type + ".json";
  myna::FhirOptions options;
  options.patient_id = id;
  options.id_seed = "sample-" + id;
  options.created = "2026-01-31T09:00:00+09:00";
  options.pretty = true;
  std::ofstream out(path, std::ios::binary);
  auto writer = myna::make_fhir_writer<R>(out, options);
  myna::Status st = writer ? myna::write_all(**writer, generator.all_records<R>(citizen)) : writer.error();
  if (!st) std::cerr << path << ": " << st.error() << "\n";
  return st.ok();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help") {
    std::cerr << "usage: myna_fhir_export_sample OUT_DIR [CITIZENS=12] [SEED=20261127]\n";
    return 2;
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
