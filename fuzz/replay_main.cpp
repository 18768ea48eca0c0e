// Replays inputs through the fuzz targets without libFuzzer (any compiler, any sanitizer):
//   myna_fuzz_replay <target> <file or directory>...
// Every regular file is one input; the empty input is run too. A broken property aborts.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "fuzz.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The files named, directories expanded (sorted, so runs are reproducible).
std::vector<fs::path> inputs(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (!fs::is_directory(arg)) {
      files.push_back(arg);
      continue;
    }
    for (const auto& entry : fs::directory_iterator(arg))
      if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: myna_fuzz_replay <target> <file or directory>...\ntargets: " << myna::fuzz::target_names()
              << "\n";
    return 2;
  }
  const auto target = myna::fuzz::find_target(argv[1]);
  if (!target) {
    std::cerr << "unknown target " << argv[1] << " (have: " << myna::fuzz::target_names() << ")\n";
    return 2;
  }
  target({});
  const auto files = inputs(argc, argv);
  for (const auto& file : files) {
    if (!fs::exists(file)) {
      std::cerr << "no such input: " << file << "\n";
      return 2;
    }
    std::cerr << "replay " << argv[1] << ": " << file.string() << "\n";
    target(read_file(file));
  }
  std::cout << "replayed " << files.size() + 1 << " inputs through " << argv[1] << "\n";
  return 0;
}
