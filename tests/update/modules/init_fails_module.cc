// An update module whose init fails (returns 1) without changing anything:
// the module service reports the update aborted (reason: init). The burst
// tests (check_bursts.sh) deliver it together with other updates.
extern "C" long dusim_module_init(void*) { return 1; }
