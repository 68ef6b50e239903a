// Bad: thread-local storage, which the kernel's modules cannot have.
__thread long per_thread;

extern "C" long dusim_module_init(void*) { return ++per_thread; }
