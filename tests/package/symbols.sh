#!/usr/bin/env bash
# A shared build exports each library's public API and nothing else (hidden visibility, the
# export macros of docs/install.md): reads the exported dynamic symbols of every libmynaportal*.so
# (nm -D --defined-only -C) and checks
#   - that the public API a consumer links is there (a sample per library), and
#   - that no internal symbol (namespace myna::internal, a class's Impl) is, except the four
#     functions the inline value types of myna/records/values.hpp call and the core's decoders
#     the client library calls (MYNA_CORE_INTERNAL_API in src/codec/decode_unchecked.hpp).
# A symbol counts by its own name: GCC exports some instantiations of std:: templates over
# internal types (those with a variadic pack, e.g. std::thread's state for a worker), which
# hidden visibility does not reach; they are no API anyone can call.
# usage: symbols.sh BUILD_DIR
set -euo pipefail
build_dir=$1
failed=0

library() {  # library NAME: the path of libNAME.so in the build tree
  local path
  path=$(find "$build_dir" -maxdepth 2 -name "lib$1.so" | head -1)
  [ -n "$path" ] || { echo "lib$1.so not built in $build_dir" >&2; exit 1; }
  echo "$path"
}

names() {  # each demangled symbol's own qualified name: no template arguments, parameters or return type
  sed -E -e ':a' -e 's/<[^<>]*>//g' -e 'ta' -e ':b' -e 's/\([^()]*\)//g' -e 'tb' \
    -e 's/^(typeinfo name|typeinfo|vtable|VTT|guard variable) for //' -e 's/ +$//' -e 's/.* //'
}

check() {  # check NAME PUBLIC-NAME...: the exported symbols of libNAME.so
  local name=$1 path symbols internal
  shift
  path=$(library "$name")
  symbols=$(nm -D --defined-only -C "$path" | cut -d' ' -f3-)
  for wanted in "$@"; do
    if ! grep -qF -- "$wanted" <<<"$symbols"; then
      echo "lib$name.so does not export $wanted" >&2
      failed=1
    fi
  done
  internal=$(paste -d'|' <(names <<<"$symbols") <(cat <<<"$symbols") |
    awk -F'|' '$1 ~ /^myna::internal::|::Impl(::|$)/' |
    grep -vE '^myna::internal::(make_text_rep|make_extended_rep|extra_of|free_text_rep|decode_result_unchecked)\|' |
    cut -d'|' -f2- || true)
  if [ -n "$internal" ]; then
    echo "lib$name.so exports internal symbols:" >&2
    head -20 <<<"$internal" >&2
    failed=1
    return
  fi
  echo "-- lib$name.so: $(wc -l <<<"$symbols") exported symbols, none internal"
}

check mynaportal_core 'myna::codec::decode_result<myna::DrugRecord>(' 'myna::make_csv_writer<myna::CheckupRecord>(' \
  'myna::to_json_object<myna::DrugRecord>(' 'myna::make_fhir_writer<myna::DrugRecord>(' \
  'myna::Error::Error(' 'typeinfo for myna::Exception' 'myna::Date::parse(' 'myna::Issues::add(' \
  'myna::Query::Builder::build(' 'myna::code_set('
check mynaportal 'myna::Client::create(' 'typeinfo for myna::Client' 'myna::make_curl_transport(' \
  'myna::NotificationHandler::handle(' 'myna::TokenProvider::TokenProvider(' 'myna::make_file_token_store(' \
  'myna::Configuration::load(' 'myna::Context::Context(' 'typeinfo for myna::RetrievalStore'
check mynaportal_listener 'myna::CallbackListener::start(' 'typeinfo for myna::CallbackListener'
if find "$build_dir" -maxdepth 2 -name 'libmynaportal_postgres.so' | grep -q .; then
  check mynaportal_postgres 'myna::pg::Database::open(' 'myna::pg::make_retrieval_store(' \
    'myna::pg::RecordSink::store<myna::DrugRecord>(' 'myna::pg::WorkQueue::create(' 'myna::pg::AuditLog::create('
fi
exit $failed
