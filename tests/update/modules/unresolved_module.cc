// A bad module: it calls a kernel function that does not exist.
extern "C" long no_such_kernel_function(long);
extern "C" long dusim_module_init(void*) { return no_such_kernel_function(1); }
