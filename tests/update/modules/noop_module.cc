// An update module whose init succeeds (returns 0) and changes nothing: the
// module service reports the update applied. The burst tests
// (check_bursts.sh) deliver many of them close together.
extern "C" long dusim_module_init(void*) { return 0; }
