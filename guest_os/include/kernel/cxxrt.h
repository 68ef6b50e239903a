// C++ runtime support (lib/cxxrt.cc).
#pragma once

// Runs the image's static constructors (.init_array); CPU 0, once, at boot.
void run_static_constructors();
