"""The end-to-end cases of tests/cli/run.py, grouped by subcommand.

A case names its arguments ({tmp}, {fixtures}, {build} are expanded), the
exit status it expects, and whether stdout is compared with a golden file
(stderr always is). Cases that depend on this machine (host probing) use
`golden=False` and structural checks instead.
"""
import json


class Case:
    def __init__(self, group, name, args, status=0, golden=True, stdin=None,
                 env=None, files=None, checks=(), timeout=120, valgrind=True,
                 stdout_on_error=False, json_error=False, golden_as=None):
        self.group, self.name, self.args, self.status = group, name, args, status
        self.golden, self.stdin, self.env = golden, stdin, env or {}
        self.files, self.checks, self.timeout = files or {}, list(checks), timeout
        self.valgrind, self.stdout_on_error = valgrind, stdout_on_error
        self.json_error = json_error
        # Compare with another case's golden files: the same answer expected.
        self.golden_as = golden_as


def json_has(*path_value):
    """Check that stdout is JSON and has these (path, value) pairs."""
    def check(out, err, tmp):
        try:
            doc = json.loads(out)
        except ValueError as e:
            return f"stdout is not JSON: {e}"
        for path, want in path_value:
            node = doc
            for key in path.split("."):
                if isinstance(node, list):
                    key = int(key)
                try:
                    node = node[key]
                except (KeyError, IndexError, TypeError):
                    return f"JSON has no {path}"
            if want is not None and node != want:
                return f"JSON {path} is {node!r}, expected {want!r}"
        return None
    return check


def file_exists(name, contains=None):
    def check(out, err, tmp):
        import os
        path = os.path.join(tmp, name)
        if not os.path.exists(path):
            return f"{name} was not written"
        if contains and contains not in open(path).read():
            return f"{name} does not contain {contains!r}"
        return None
    return check


SKX = "mshv-skylake-sp"
ICX = "mshv-icelake-sp-azure"
WHP_SKX = "whp-skylake-sp"
MILAN = "whp-epyc-milan-azure"
ICX_WORDS = "intel:0x2e2a8bfffff7859f:0x000100ae000000f1:0x7fffdf"

CASES = []


def case(*a, **kw):
    CASES.append(Case(*a, **kw))


# --- the tool itself ---------------------------------------------------------
case("main", "help", ["--help"])
case("main", "version", ["--version"], checks=[lambda o, e, t: None if o.startswith("mshvcpu 0.") else "no version"], golden=False)
case("main", "no_command", [], status=2)
case("main", "unknown_command", ["frobnicate"], status=2)
case("main", "unknown_global_option", ["--frob", "features"], status=2)
case("main", "json_error_document", ["-j", "show", "x86-64-v3,+avx512fx"], status=2,
     stdout_on_error=True, checks=[json_has(("schema", "mshvcpu-error/1"), ("status", 2))])
for sub in ("features", "show", "decode", "encode", "host", "compare", "baseline",
            "pools", "check-migration", "create", "cpuid", "emu"):
    case("main", f"help_{sub}", [sub, "--help"])
    case("main", f"bad_option_{sub}", [sub, "--no-such-option"], status=2)

# help COMMAND is COMMAND --help; mistyped commands and options get "did you mean".
case("main", "help_command", ["help"], golden_as="help")
case("main", "help_command_show", ["help", "show"], golden_as="help_show")
case("main", "help_command_help", ["help", "help"])
case("main", "help_unknown", ["help", "shwo"], status=2)
case("main", "help_two_commands", ["help", "show", "host"], status=2)
case("main", "typo_command", ["comapre", "x86-64-v2", SKX], status=2)
case("main", "typo_command_far", ["zzzzzz"], status=2)
case("main", "typo_long_option", ["features", "--revison", "hv-2026"], status=2)
case("main", "typo_global_option", ["--jsno", "features"], status=2)
case("main", "ambiguous_long_option", ["create", "--no", "x86-64-v3"], status=2)
case("main", "switch_given_a_value", ["features", "--json=yes"], status=2)
case("main", "missing_argument", ["features", "--word"], status=2)

# --- options: one table, so each letter means one thing everywhere -----------------
# Letters that had to go point to the long name, which still works.
case("options", "retired_vendor_letter", ["features", "-V", "amd"], status=2)
case("options", "retired_policy_letter", ["encode", "-P", "migration-safe", "x86-64-v3"], status=2)
case("options", "retired_format_letter", ["encode", "-f", "c", "x86-64-v3"], status=2)
case("options", "retired_diff_letter", ["cpuid", "--host", ICX, "-d", "x86-64-v2"], status=2)
case("options", "retired_source_letter", ["host", "-s", "cpuid"], status=2)
case("options", "retired_from_letter", ["check-migration", "-f", "{fixtures}/guest-skx.json", SKX], status=2)
case("options", "retired_to_letter", ["check-migration", "{fixtures}/guest-skx.json", "-t", SKX], status=2)
case("options", "retired_pools_names_letter", ["pools", "-n", "1", SKX], status=2)
case("options", "version_letter", ["-V"], golden=False,
     checks=[lambda o, e, t: None if o.startswith("mshvcpu 0.") else "-V is not --version"])
case("options", "pools_max_names", ["pools", "--max-names", "1", SKX, SKX, WHP_SKX])
case("options", "pools_max_names_warned", ["pools", "--names", "1", SKX, SKX, WHP_SKX])
# -q: no warnings or notes, errors still.
case("options", "quiet_warnings", ["encode", "-q", "--host", SKX, f"{SKX},-mb_clear"])
case("options", "quiet_before_command", ["-q", "encode", "--host", SKX, f"{SKX},-mb_clear"],
     golden_as="quiet_warnings")
case("options", "quiet_nothing_matches", ["features", "--quiet", "no-such-feature"], status=1)
case("options", "quiet_renamed_option", ["pools", "-q", "--names", "1", SKX, SKX, WHP_SKX],
     golden_as="pools_max_names")
case("options", "quiet_keeps_errors", ["show", "-q", "x86-64-v3,+avx512fx"], status=2)

# --- features ------------------------------------------------------------------
case("features", "features_avx512", ["features", "avx512"])
case("features", "features_xsave_linux619", ["features", "--word", "xsave", "--revision", "linux-6.19"])
case("features", "features_long_cet", ["features", "--long", "cet_ss"])
case("features", "features_amd_bank1", ["features", "--vendor", "amd", "--word", "bank1"])
case("features", "features_all_bank1_reserved", ["features", "--all", "--word", "bank1", "reserved"])
case("features", "features_models", ["features", "--models"])
case("features", "features_models_json", ["-j", "features", "--models"],
     checks=[json_has(("schema", "mshvcpu-models/1"), ("models.0.name", None))])
case("features", "features_names_bank2", ["features", "--names", "--word", "bank2"])
# -n honours -j: one JSON list of names.
case("features", "features_names_json", ["features", "-j", "-n", "--word", "bank2"],
     checks=[json_has(("schema", "mshvcpu-feature-names/1"), ("names.0", "fred"),
                      ("names.11", "arch_perfmon_extended_leaf"))])
case("features", "features_model_names_json", ["features", "--models", "--names", "-j"],
     checks=[json_has(("schema", "mshvcpu-model-names/1"), ("names.0", "x86-64-v1"))])
case("features", "features_names_json_nothing", ["-j", "features", "-n", "no-such-feature"], status=1,
     checks=[json_has(("schema", "mshvcpu-feature-names/1"), ("names", []))])
case("features", "features_json", ["features", "-j", "avx2"],
     checks=[json_has(("schema", "mshvcpu-features/1"), ("features.0.name", "avx2"))])
case("features", "features_nothing", ["features", "no-such-feature"], status=1)
case("features", "features_bad_word", ["features", "--word", "bank9"], status=2)
case("features", "features_bad_revision", ["features", "--revision", "linux-9.9"], status=2)

# --- show ------------------------------------------------------------------------
case("show", "show_v3_mods", ["show", "x86-64-v3,+aes,-avx2"])
case("show", "show_icx_minus_avx512", ["show", f"{ICX},-avx512"])
case("show", "show_icx_json", ["-j", "show", ICX],
     checks=[json_has(("schema", "mshvcpu-show/1"))])
case("show", "show_words", ["show", ICX_WORDS])
case("show", "show_linux619", ["show", "--revision", "linux-6.19", SKX])
case("show", "show_typo", ["show", "x86-64-v3,+avx512fx"], status=2)
case("show", "show_unknown_model", ["show", "skylake"], status=2)
case("show", "show_bad_modifier", ["show", "x86-64-v3,avx2"], status=2)
case("show", "show_contradiction", ["show", "x86-64-v3,+aes,-aes"], status=2)
case("show", "show_strict_breaks_prereq", ["show", "--strict", "x86-64-v3,-avx"], status=2)
case("show", "show_output_roundtrip", ["show", "-o", "{tmp}/p.json", f"{ICX},-avx512"],
     checks=[file_exists("p.json", '"schema": "mshvcpu-profile/1"')])
case("show", "show_profile_file", ["show", "@{tmp}/p.json,-aes"],
     files={"p.json": open(__file__.replace("cases.py", "fixtures/icx-no-avx512.json")).read()})
case("show", "show_missing_file", ["show", "@{tmp}/missing.json"], status=3)
case("show", "show_malformed_json", ["show", "@{tmp}/bad.json"], status=3,
     files={"bad.json": '{"format": "mshvcpu-profile",\n "version": 1,\n "vendor": intel}\n'})
case("show", "show_wrong_type_json", ["show", "@{tmp}/bad.json"], status=3,
     files={"bad.json": '{"format": "mshvcpu-profile", "version": "1"}\n'})
case("show", "show_nul_json", ["show", "@{tmp}/bad.json"], status=3,
     files={"bad.json": b'{"format": "mshvcpu-profile"\x00}\n'})
# Records name themselves with "schema": "KIND/MAJOR"; those written before
# it ("format" + "version") read the same. A newer major version, an unknown
# or other kind, and the two conventions disagreeing are refused where they are.
case("show", "show_profile_file_old_convention", ["show", "@{tmp}/p.json,-aes"],
     golden_as="show_profile_file",
     files={"p.json": open(__file__.replace("cases.py", "fixtures/icx-no-avx512.old.json")).read()})
case("show", "show_newer_schema", ["show", "@{tmp}/p.json"], status=3,
     files={"p.json": '{\n  "schema": "mshvcpu-profile/2",\n  "enabled": {}\n}\n'})
case("show", "show_unknown_schema", ["show", "@{tmp}/p.json"], status=3,
     files={"p.json": '{"schema": "mshvcpu-pools/1", "pools": []}\n'})
case("show", "show_other_kind", ["show", "@{fixtures}/hosts/icx.json"], status=3)
case("show", "show_mixed_conventions", ["show", "@{tmp}/p.json"], status=3,
     files={"p.json": '{"schema": "mshvcpu-profile/1",\n "format": "mshvcpu-host", "version": 1}\n'})
case("show", "show_output_not_written_on_error", ["show", "-o", "{tmp}/out.json", "x86-64-v3,+nosuch"], status=2)

# --- decode ----------------------------------------------------------------------
case("decode", "decode_icx", ["decode", ICX_WORDS])
case("decode", "decode_skx_linux619", ["decode", "--revision", "linux-6.19",
                                        "0x1005f9fffff7859f", "0x8f10860063", "0x3fff"])
case("decode", "decode_disabled_xsave", ["decode", "--disabled", "--word", "xsave", "0xfffffffffffffff8"])
case("decode", "decode_json", ["-j", "decode", ICX_WORDS],
     checks=[json_has(("schema", "mshvcpu-decode/1"))])
case("decode", "decode_bad_hex", ["decode", "intel:0xzz:0:0"], status=2)
case("decode", "decode_too_big", ["decode", "--word", "bank0", "0x1ffffffffffffffff"], status=2)

# --- encode ----------------------------------------------------------------------
case("encode", "encode_v3", ["encode", "x86-64-v3"])
case("encode", "encode_struct", ["encode", "--format", "struct", "--flags", "lapic,x2apic", f"{ICX},-avx512"])
case("encode", "encode_c_migration_safe", ["encode", "--policy", "migration-safe", "--format", "c", SKX])
case("encode", "encode_json", ["encode", "-j", "x86-64-v2"],
     checks=[json_has(("schema", "mshvcpu-encode/1"))])
case("encode", "encode_linux619_forward", ["encode", "--revision", "linux-6.19", ICX])
case("encode", "encode_host_refusal_warning", ["encode", "--host", SKX, f"{SKX},-mb_clear"])
case("encode", "encode_bad_policy", ["encode", "--policy", "yolo", "x86-64-v3"], status=2)
case("encode", "encode_bad_flags", ["encode", "--flags", "lapic,warp", "x86-64-v3"], status=2)

# --- compare ---------------------------------------------------------------------
case("compare", "compare_v2_skx", ["compare", "x86-64-v2", SKX])
case("compare", "compare_skx_icx", ["compare", SKX, ICX], status=1)
case("compare", "compare_identical", ["compare", ICX, ICX_WORDS])
case("compare", "compare_superset", ["compare", ICX, "x86-64-v3"], status=1)
case("compare", "compare_vendor", ["compare", SKX, MILAN], status=1)
case("compare", "compare_json", ["-j", "compare", SKX, ICX], status=1,
     checks=[json_has(("schema", "mshvcpu-compare/1"))])
case("compare", "compare_one_arg", ["compare", SKX], status=2)
case("compare", "compare_unknown_schema", ["compare", "{tmp}/c.json", SKX], status=3,
     files={"c.json": '{"schema": "mshvcpu-compare/1", "a": "x"}\n'})
# Records of both conventions, side by side: the same answer.
case("compare", "compare_old_and_new_records", ["compare", "{fixtures}/hosts/skx.json",
                                                "{fixtures}/hosts/icx.json"], status=1)

# --- baseline --------------------------------------------------------------------
case("baseline", "baseline_skx_icx", ["baseline", SKX, ICX])
case("baseline", "baseline_json", ["-j", "baseline", SKX, ICX, WHP_SKX],
     checks=[json_has(("schema", "mshvcpu-baseline/1"))])
case("baseline", "baseline_mixed_vendors", ["baseline", SKX, MILAN], status=1)
case("baseline", "baseline_stdin_jsonl", ["baseline", "-"],
     stdin=open(__file__.replace("cases.py", "fixtures/hosts.jsonl")).read())
case("baseline", "baseline_dir", ["baseline", "{fixtures}/hosts"])
case("baseline", "baseline_output", ["baseline", "-o", "{tmp}/base.json", SKX, ICX],
     checks=[file_exists("base.json", '"schema": "mshvcpu-profile/1"')])
case("baseline", "baseline_missing_file", ["baseline", "{tmp}/nope.json"], status=3)
case("baseline", "baseline_malformed_jsonl", ["baseline", "{tmp}/bad.jsonl"], status=3,
     files={"bad.jsonl": open(__file__.replace("cases.py", "fixtures/hosts.jsonl")).read()
            + '{"format": "mshvcpu-host", "version": 1, "vendor": "intel", \n'})
case("baseline", "baseline_stream_newer_schema", ["baseline", "{tmp}/hosts.jsonl"], status=3,
     files={"hosts.jsonl": open(__file__.replace("cases.py", "fixtures/hosts.jsonl")).read()
            + '{"schema": "mshvcpu-host/2", "vendor": "intel"}\n'})
case("baseline", "baseline_stream_mixed_conventions", ["baseline", "-"], status=3,
     stdin='{"schema": "mshvcpu-host/1", "format": "mshvcpu-host", "version": 2, "vendor": "intel"}\n')
case("baseline", "baseline_no_output_on_error", ["baseline", "-o", "{tmp}/b.json", SKX, MILAN], status=1,
     checks=[lambda o, e, t: "b.json written" if __import__("os").path.exists(t + "/b.json") else None])

# --- pools -----------------------------------------------------------------------
case("pools", "pools_three", ["pools", SKX, WHP_SKX, ICX, SKX])
case("pools", "pools_json", ["-j", "pools", SKX, WHP_SKX, ICX],
     checks=[json_has(("schema", "mshvcpu-pools/1"))])
case("pools", "pools_mixed_vendors", ["pools", SKX, MILAN])

# --- check-migration -------------------------------------------------------------
case("migration", "migration_to_same", ["check-migration", "--from", "{fixtures}/guest-skx.json", "--to", SKX])
case("migration", "migration_to_icx", ["check-migration", "--from", "{fixtures}/guest-skx.json", "--to", ICX], status=1)
case("migration", "migration_to_milan", ["check-migration", "--from", "{fixtures}/guest-skx.json", "--to", MILAN], status=1)
case("migration", "migration_baseline_guest", ["check-migration", "--from", "{fixtures}/guest-baseline.json", "--to", ICX])
case("migration", "migration_json", ["-j", "check-migration", "--from", "{fixtures}/guest-skx.json", "--to", ICX], status=1,
     checks=[json_has(("schema", "mshvcpu-check-migration/1"))])
case("migration", "migration_missing_to", ["check-migration", "--from", "{fixtures}/guest-skx.json"], status=2)
case("migration", "migration_not_a_record", ["check-migration", "--from", "{fixtures}/hosts/skx.json", "--to", SKX], status=2)
# PARTITION HOST, as compare takes A B; --from/--to still work, and mix.
case("migration", "migration_positional", ["check-migration", "{fixtures}/guest-skx.json", SKX],
     golden_as="migration_to_same")
case("migration", "migration_positional_to", ["check-migration", "--to", SKX, "{fixtures}/guest-skx.json"],
     golden_as="migration_to_same")
case("migration", "migration_positional_no", ["check-migration", "{fixtures}/guest-skx.json", ICX], status=1,
     golden_as="migration_to_icx")
case("migration", "migration_too_many", ["check-migration", "{fixtures}/guest-skx.json", SKX, ICX], status=2)
case("migration", "migration_one_positional", ["check-migration", "{fixtures}/guest-skx.json"], status=2)
# A host record, a profile or a model as the source: compare is the question.
case("migration", "migration_host_record_source", ["check-migration", "{fixtures}/hosts/skx.json", ICX], status=2)
case("migration", "migration_profile_source", ["check-migration", "{fixtures}/icx-no-avx512.json", ICX], status=2)
# A file naming no kind is not taken for a model: its reader says what is wrong.
case("migration", "migration_unknown_schema_source", ["check-migration", "{tmp}/c.json", ICX], status=3,
     files={"c.json": '{"schema": "mshvcpu-compare/1", "a": "x"}\n'})
case("migration", "migration_newer_source", ["check-migration", "{tmp}/g.json", ICX], status=3,
     files={"g.json": '{"schema": "mshvcpu-partition/2"}\n'})
case("migration", "migration_model_source", ["check-migration", SKX, ICX], status=2)
case("migration", "migration_missing_source", ["check-migration", "{tmp}/none.json", ICX], status=3)

# --- create ----------------------------------------------------------------------
for level in ("nested-smt", "cpu-features"):
    case("create", f"create_{level}", ["create", "--in-process", "--host", SKX, "--kernel", level,
                                       "--flags", "lapic,x2apic", "x86-64-v3"])
case("create", "create_v1_only_refused", ["create", "--in-process", "--host", SKX, "--kernel", "v1-only", "x86-64-v3"], status=3)
case("create", "create_v1_only_allowed", ["create", "--in-process", "--host", SKX, "--kernel", "v1-only", "--allow-v1", "all"])
case("create", "create_nested_flag_on_619", ["create", "--in-process", "--host", ICX, "--kernel", "cpu-features", "--flags", "nested", ICX], status=3)
case("create", "create_refused_sole_mb_clear", ["create", "--in-process", "--host", SKX, f"{SKX},-mb_clear"], status=3)
case("create", "create_dropped", ["create", "--in-process", "--host", SKX, ICX])
# What cannot be had: the other vendor's features warn, and with --enforce
# fail naming them; a host lacking features fails create --enforce before
# anything is created; an AMD profile on an Intel host is refused outright.
case("create", "show_other_vendor_warns", ["show", f"{SKX},+sse4a,+xop"])
case("create", "show_other_vendor_enforced", ["show", "--enforce", f"{SKX},+sse4a"], status=2)
case("create", "show_amd_profile_tsx_enforced", ["show", "-e", "whp-epyc-milan-azure,+rtm"], status=2)
case("create", "show_host_lacks_warns", ["show", "--host", "whp-epyc-milan-azure", "x86-64-v4"])
case("create", "show_host_lacks_enforced", ["show", "--enforce", "--host", "whp-epyc-milan-azure", "x86-64-v4"], status=2)
case("create", "show_host_vendor_enforced", ["show", "--enforce", "--host", SKX, "whp-epyc-milan-azure"], status=2)
case("create", "create_enforce_host_lacks", ["create", "--in-process", "--host", SKX, "--enforce", ICX], status=3)
case("create", "create_enforce_met", ["create", "--in-process", "--host", ICX, "--enforce", "x86-64-v4"])
case("create", "create_other_vendor_refused", ["create", "--in-process", "--host", SKX, "whp-epyc-milan-azure"], status=3)
case("create", "create_other_vendor_feature_enforced", ["create", "--in-process", "--host", SKX, "-e", f"{SKX},+xop"], status=2)
case("cpuid", "cpuid_enforce_host_lacks", ["cpuid", "--host", SKX, "--enforce", f"{SKX},+avx512_vnni", "7"], status=3)
case("create", "create_json_output", ["-j", "create", "--in-process", "--host", ICX, "-o", "{tmp}/g.json", f"{ICX},-avx512"],
     checks=[json_has(("schema", "mshvcpu-partition/1")), file_exists("g.json", "mshvcpu-partition")])
case("create", "create_no_device", ["create", "--device", "{tmp}/no-mshv", "x86-64-v3"], status=3)

# --- cpuid -----------------------------------------------------------------------
case("cpuid", "cpuid_icx_v2", ["cpuid", "--host", ICX, "x86-64-v2", "0x1", "0xd.1"])
case("cpuid", "cpuid_icx_diff", ["cpuid", "--host", ICX, "--diff", f"{ICX},-avx512,-aes"])
case("cpuid", "cpuid_milan_json", ["-j", "cpuid", "--host", MILAN, f"{MILAN},-avx2", "7.0"],
     checks=[json_has(("schema", "mshvcpu-cpuid/1"))])
case("cpuid", "cpuid_bad_leaf", ["cpuid", "--host", ICX, "x86-64-v2", "0xq"], status=2)

# --- host (this machine: structural checks only) ---------------------------------
case("host", "host_cpuid_json", ["-j", "host", "--source", "cpuid"], golden=False,
     checks=[json_has(("schema", "mshvcpu-host/1"), ("source", "cpuid"))])
case("host", "host_output", ["host", "--source", "cpuid", "-o", "{tmp}/h.json"], golden=False,
     checks=[file_exists("h.json", "mshvcpu-host")])
case("host", "host_hypervisor_missing", ["host", "--source", "hypervisor", "--device", "{tmp}/none"], status=3)

# --- emu: the same create through the emulated device ------------------------------
case("emu", "emu_create", ["emu", "--host", SKX, "--", "{build}/mshvcpu", "create",
                           "--flags", "lapic,x2apic", "x86-64-v3"], valgrind=False,
     golden_as="create_nested-smt")
case("emu", "emu_no_command", ["emu", "--host", SKX], status=2)
case("emu", "emu_bad_host", ["emu", "--host", "nosuchmodel", "--", "true"], status=2)
