#!/usr/bin/env python3
"""Key facts of the seed's scenarios, asserted on report.json from outside.

  check_report.py REPORT.json            the facts of its scenario
  check_report.py --same A.json B.json   identical apart from "host"
"""
import json
import sys


def need(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)


def applied_updates(r, n):
    """No fault, every check passed, and the scenario's n updates were applied, each with its latency and LOAD."""
    need(r["run"]["outcome"] != "fault", "the guest faulted: %s" % r["run"].get("fault"))
    need(all(c["passed"] for c in r["checks"]), "failed checks: %s" % [c["name"] for c in r["checks"] if not c["passed"]])
    us = r["updates"]
    need(len(us) == n and all(u["status"] == "applied" for u in us), "updates: %s" % [u["status"] for u in us])
    for u in us:
        need(u["latency_ns"] and u["latency_ns"] > 0, "no update latency")
        need(any(p["name"] == "LOAD" for p in u["phases"]), "no LOAD phase")
    return us


def common(r):
    return applied_updates(r, 1)[0]


def allocator(r):
    u = common(r)
    m = r["metrics"]
    need(m["corruptions_before"] > 0, "no double allocation before the fix")
    need(m["corruptions_after"] == 0, "%d double allocations after the fix" % m["corruptions_after"])
    need(u["objects_swapped"] == 1, "objects_swapped %s" % u["objects_swapped"])
    need(any(p["name"] == "SWITCH" for p in u["phases"]), "no SWITCH phase")
    names = [o["name"] for o in r["objects"]]
    need("PageAllocatorKernPinned" in names and "PageAllocatorKernPinned_Update" in names, "objects %s" % names)
    print("ok: %d double allocations before, 0 after; update %d ns, %d calls blocked (max %s ns)"
          % (m["corruptions_before"], u["latency_ns"], u["blocked_calls"]["count"], u["blocked_calls"]["max_ns"]))


def fcm(r):
    u = common(r)
    m = r["metrics"]
    need(m["instances_updated"] >= 400, "instances updated %s" % m["instances_updated"])
    need(m["old_class_unmaps_after"] == 0, "version-0 unmaps after the update")
    need(m["unmap_p50_ns_after"] < m["unmap_p50_ns_before"], "unmap p50 %s ns after, %s before"
         % (m["unmap_p50_ns_after"], m["unmap_p50_ns_before"]))
    need(m["ipis_per_unmap_after"] < m["ipis_per_unmap_before"], "IPIs per unmap %s after, %s before"
         % (m["ipis_per_unmap_after"], m["ipis_per_unmap_before"]))
    phases = {p["name"] for p in u["phases"]}
    need({"FACTORY_SWAP", "INSTANCE_SWAPS"} <= phases, "phases %s" % sorted(phases))
    if "vm" in r:  # mmu=on: the shootdowns were real
        b, a = r["vm"]["before"], r["vm"]["after"]
        need(b["hpte_removes"] >= m["unmaps_before"] and b["hpte_inserts"] > 0, "HPTE removes %d for %d unmaps before"
             % (b["hpte_removes"], m["unmaps_before"]))
        need(a["shootdown_cpus_asked"] / a["hpte_removes"] < b["shootdown_cpus_asked"] / b["hpte_removes"],
             "CPUs asked per removal did not fall: %s after, %s before" % (a, b))
        need(len(b["fcm_objects"]) > 0, "no FCM object unmapped before")
        tlb_events(r)
        print("ok: vm (%s): %d HPTE removes before, %d CPUs asked, %d IPIs; after %d, %d CPUs, %d IPIs"
              % (r["vm"]["tlbi"], b["hpte_removes"], b["shootdown_cpus_asked"], b["shootdown_ipis"], a["hpte_removes"],
                 a["shootdown_cpus_asked"], a["shootdown_ipis"]))
    print("ok: %d instances updated; unmap p50 %d -> %d ns; IPIs %d -> %d (%.3f -> %.3f per unmap)"
          % (m["instances_updated"], m["unmap_p50_ns_before"], m["unmap_p50_ns_after"], m["ipis_before"], m["ipis_after"],
             m["ipis_per_unmap_before"], m["ipis_per_unmap_after"]))


def tlb_events(r):
    # With mmu.trace_events, each window has the machine's TLB side: every
    # CPU walked; a tlbie reached every CPU; the IPI method sends none.
    if not r["vm"]["tlb_events"]:
        return
    cpus = r["machine"]["cpus"]
    for w in ("before", "after"):
        t = r["vm"][w]["tlb"]
        need(len(t["walks_per_cpu"]) == cpus and all(t["walks_per_cpu"]), "%s: a CPU made no walk: %s" % (w, t))
        need(t["tlbie_arrivals"] == t["tlbies"] * cpus, "%s: %d tlbies reached %d CPUs" % (w, t["tlbies"], t["tlbie_arrivals"]))
        if r["vm"]["tlbi"] == "ipi":
            need(t["tlbies"] == 0, "%s: %d tlbies with the IPI method" % (w, t["tlbies"]))
    b = r["vm"]["before"]["tlb"]
    print("ok: vm tlb before: %d walks (%.1f cycles each), %d tlbies, walks per CPU %s"
          % (b["walks"], b["walk_cycles_mean"], b["tlbies"], b["walks_per_cpu"]))


def region(r):
    u = common(r)
    m = r["metrics"]
    need(u["blocked_calls"]["count"] == 0, "%d calls blocked" % u["blocked_calls"]["count"])
    need(m["region_create_ns_after"] < m["region_create_ns_before"], "region creation %s ns after, %s before"
         % (m["region_create_ns_after"], m["region_create_ns_before"]))
    if "vm" in r:  # mmu=on: every page of every region was a real fault
        for w, n in (("before", m["regions_before"]), ("after", m["regions_after"])):
            pf = r["vm"][w]["page_faults"]
            need(pf["count"] >= (n - r["machine"]["cpus"]) * 32 and pf["refused"] == 0, "%d page faults %s for %d regions" % (pf["count"], w, n))
        b, a = (r["vm"][w]["page_faults"] for w in ("before", "after"))
        need(a["latency_p50_cycles"] < b["latency_p50_cycles"], "fault p50 %s cycles after, %s before"
             % (a["latency_p50_cycles"], b["latency_p50_cycles"]))
        tlb_events(r)
        print("ok: vm: page faults %d before (p50 %d, p99 %d cycles), %d after (p50 %d, p99 %d)"
              % (b["count"], b["latency_p50_cycles"], b["latency_p99_cycles"], a["count"], a["latency_p50_cycles"],
                 a["latency_p99_cycles"]))
    print("ok: no call blocked; region creation p50 %d -> %d ns"
          % (m["region_create_ns_before"], m["region_create_ns_after"]))


def process(r):
    u = common(r)
    m = r["metrics"]
    need(m["processes_updated"] == 4 and m["factories_updated"] == 1,
         "%s processes and %s factories swapped" % (m["processes_updated"], m["factories_updated"]))
    need(m["shared_bursts_after"] == 0, "%d bursts on a shared process after" % m["shared_bursts_after"])
    need(m["threads_ns_after"] < m["threads_ns_before"], "burst p50 %s ns after, %s before"
         % (m["threads_ns_after"], m["threads_ns_before"]))
    need({"FACTORY_SWAP", "INSTANCE_SWAPS"} <= {p["name"] for p in u["phases"]}, "no class-update phases")
    need(r["coherence"]["after"]["total"]["c2c_transfers"] < r["coherence"]["before"]["total"]["c2c_transfers"],
         "c2c transfers did not fall")
    print("ok: 4 processes replicated; burst p50 %d -> %d ns; c2c %d -> %d"
          % (m["threads_ns_before"], m["threads_ns_after"], r["coherence"]["before"]["total"]["c2c_transfers"],
             r["coherence"]["after"]["total"]["c2c_transfers"]))


def revert(r):
    need(r["run"]["outcome"] != "fault", "the guest faulted: %s" % r["run"].get("fault"))
    need(all(c["passed"] for c in r["checks"]), "failed checks: %s" % [c["name"] for c in r["checks"] if not c["passed"]])
    u = {x["name"]: x for x in r["updates"]}
    want = {"fix": ("module", None, "applied"), "undo": ("revert", "fix", "applied"), "refix": ("module", None, "applied"),
            "undo-again": ("revert", "fix", "aborted"), "keep": ("commit", "refix", "applied")}
    for name, (action, target, status) in want.items():
        need((u[name]["action"], u[name]["target"], u[name]["status"]) == (action, target, status),
             "update %s: %s" % (name, (u[name]["action"], u[name]["target"], u[name]["status"])))
    need(u["undo-again"]["reason_code"] == 7, "the refused revert's reason code %s" % u["undo-again"]["reason_code"])
    names = [p["name"] for p in u["undo"]["phases"]]
    need("REVERT" in names and "UNLOAD" in names and "SWITCH" in names, "the revert's phases %s" % names)
    need("COMMIT" in [p["name"] for p in u["keep"]["phases"]], "no COMMIT phase")
    need([m["module"] for m in u["undo"]["modules_unloaded"]] == ["fix", "undo"],
         "the revert unloaded %s" % u["undo"]["modules_unloaded"])
    m = r["metrics"]
    print("ok: fix, revert (%d calls held, longest %d ns), fix again, a refused revert, commit; %d version-0 calls "
          "while reverted, %d modules unloaded"
          % (u["undo"]["blocked_calls"]["count"], u["undo"]["blocked_calls"]["max_ns"], m["old_class_calls_reverted"],
             m["modules_unloaded"]))


def adapter(r):
    u = common(r)
    m = r["metrics"]
    need(m["inexact"] == 0, "%d inexact audits" % m["inexact"])
    need(m["old_adapter_audits_after"] == m["old_audits_after"] > 0, "old clients after the change: %d audits, %d "
         "through the adapter" % (m["old_audits_after"], m["old_adapter_audits_after"]))
    need(m["new_direct_audits_after"] == m["new_audits_after"] > 0 and m["new_audits_before"] == 0,
         "new clients: %d audits before, %d after (%d direct)"
         % (m["new_audits_before"], m["new_audits_after"], m["new_direct_audits_after"]))
    need(u["objects_swapped"] == 1 and u["factories_swapped"] == 0, "swapped %s objects, %s factories"
         % (u["objects_swapped"], u["factories_swapped"]))
    print("ok: %d audits, all exact; old clients %d audits before (version 1), %d after (adapter); new clients %d after "
          "(direct); update %d ns, %d calls blocked (max %s ns)"
          % (m["audits"], m["old_audits_before"], m["old_audits_after"], m["new_audits_after"], u["latency_ns"],
             u["blocked_calls"]["count"], u["blocked_calls"]["max_ns"]))


def programs_of(r):
    return {p["name"]: p for p in r["programs"]}


def swapped_under_program(r, name, updates=1):
    """A program run across the scenario's class updates of its objects, and its copy run after them
    (NAME-after): both exit 0 with the same output, the first spans the updates (from the first's request to the
    last's end), each of which swapped one factory and one instance. Returns the program and the report's metrics."""
    us = applied_updates(r, updates)
    p = programs_of(r)
    a, b = p[name], p[name + "-after"]
    need(a["finished"] and b["finished"] and a["exit_status"] == b["exit_status"] == 0,
         "exit statuses %s and %s" % (a["exit_status"], b["exit_status"]))
    need(a["start_ns"] < us[0]["requested_ns"] and a["end_ns"] > us[-1]["completed_ns"], "the program did not span the updates")
    need(a["output_digest"] == b["output_digest"] and a["output_bytes"] == b["output_bytes"] > 0,
         "outputs differ: %s/%s bytes" % (a["output_bytes"], b["output_bytes"]))
    need(all(u["objects_swapped"] == 1 and u["factories_swapped"] == 1 for u in us),
         "swapped (objects, factories): %s" % [(u["objects_swapped"], u["factories_swapped"]) for u in us])
    return a, r["metrics"]


def program_swap(r):
    a, m = swapped_under_program(r, "syscalls")
    need(a["threads"] == 5 and a["system_calls"] > 12000, "%d threads, %d calls" % (a["threads"], a["system_calls"]))
    lat = a["syscall_latency"]
    need(all(lat[w]["count"] > 0 for w in ("before", "during", "after")), "calls missing in a window: %s" % lat)
    print("ok: the program ran across the update (%d calls, %d held for up to %s cycles); syscall p50 %d/%d/%d cycles "
          "before/during/after; output identical to the copy run after"
          % (a["system_calls"], a["held_calls"]["count"], a["held_calls"]["max_cycles"], lat["before"]["p50_cycles"],
             lat["during"]["p50_cycles"], lat["after"]["p50_cycles"]))


def program_file_swap(r):
    a, m = swapped_under_program(r, "reader")
    # 4 threads x 150 rounds x 6 calls (dup, _llseek, read, pread, _llseek, close), and the start-up's.
    need(a["threads"] == 5 and a["system_calls"] > 3600, "%d threads, %d calls" % (a["threads"], a["system_calls"]))
    need(all(m[k] is not None for k in ("read_p50_before", "read_p50_during", "read_p50_after")),
         "reads missing in a window: %s" % {k: v for k, v in m.items() if k.startswith("read")})
    print("ok: the program read across its file table's swap (%d calls, %d held); read p50 %d/%d/%d cycles "
          "before/during/after; output identical to the copy run after"
          % (a["system_calls"], a["held_calls"]["count"], m["read_p50_before"], m["read_p50_during"], m["read_p50_after"]))


def program_futex_swap(r):
    a, m = swapped_under_program(r, "turns")
    need(a["threads"] == 5, "%d threads" % a["threads"])
    need(m["futex_calls_before"] > 0 and m["futex_calls_after"] > 0, "futex calls before/after: %s/%s"
         % (m["futex_calls_before"], m["futex_calls_after"]))
    print("ok: the program's threads waited and woke across its futex table's swap (%d futex calls before, %d after); "
          "output identical to the copy run after" % (m["futex_calls_before"], m["futex_calls_after"]))


def program_signal_swap(r):
    """Three class updates (signal table, console stream, clock), one after another, under one program."""
    a, m = swapped_under_program(r, "signals", updates=3)
    need(a["threads"] == 4 and a["system_calls"] > 4 * 40 * 25, "%d threads, %d calls" % (a["threads"], a["system_calls"]))
    lat = a["syscall_latency"]
    need(all(lat[w]["count"] > 0 for w in ("before", "during", "after")), "calls missing in a window: %s" % lat)
    print("ok: the program took signals, read clocks and wrote across three swaps (%d calls, %d during); sigaction p50 "
          "%d/%d, clock_gettime %d/%d, write %d/%d cycles before/after; output identical to the copy run after"
          % (a["system_calls"], lat["during"]["count"], m["sigaction_p50_before"], m["sigaction_p50_after"],
             m["clock_p50_before"], m["clock_p50_after"], m["write_p50_before"], m["write_p50_after"]))


def program_region(r):
    u = common(r)
    t = programs_of(r)["toucher"]
    m = r["metrics"]
    need(t["finished"] and t["exit_status"] == 0, "the toucher: finished %s, status %s" % (t["finished"], t["exit_status"]))
    need(t["threads"] == 1 + 4 * 24, "%d threads" % t["threads"])
    need(m["faults_shared"] > 500 and m["faults_partitioned"] > 1000 and m["partitioned_before"] == 0,
         "faults: %d shared, %d partitioned (%d before the update)"
         % (m["faults_shared"], m["faults_partitioned"], m["partitioned_before"]))
    need(u["blocked_calls"]["count"] == 0, "%d calls held" % u["blocked_calls"]["count"])
    print("ok: %d faults through the shared region (p50 %d, p99 %d cycles), %d through the partitioned one (p50 %d, "
          "p99 %d); the program's sums all right"
          % (m["faults_shared"], m["fault_p50_shared"], m["fault_p99_shared"], m["faults_partitioned"],
             m["fault_p50_partitioned"], m["fault_p99_partitioned"]))


def main(argv):
    if argv[1] == "--same":
        a, b = (json.load(open(p)) for p in argv[2:4])
        a.pop("host")
        b.pop("host")
        need(json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True),
             "two runs gave different reports (differing keys: %s)" % ", ".join(k for k in a if a[k] != b.get(k)))
        print("ok: two runs, identical reports apart from host")
        return
    r = json.load(open(argv[1]))
    facts = {"allocator-race-fix": allocator, "fcm-unmap-optimisation": fcm, "partitioned-region": region,
             "process-replication": process, "allocator-fix-revert": revert,
             "interface-adapter": adapter, "program-process-swap": program_swap,
             "program-partitioned-region": program_region, "program-file-swap": program_file_swap,
             "program-futex-swap": program_futex_swap, "program-signal-swap": program_signal_swap}
    need(r["scenario"] in facts, "unknown scenario " + r["scenario"])
    facts[r["scenario"]](r)


if __name__ == "__main__":
    main(sys.argv)
