// The 64-bit big-endian PowerPC Linux ABI as user-mode emulation needs it:
// errno values, flag bits and structure layouts as the guest sees them.
// Facts checked against the cross toolchain's headers
// (/usr/powerpc64-linux-gnu/include/asm/*.h) and, for layouts, by a ppc64
// program printing offsetof() under qemu-ppc64. Where a value differs from
// the x86-64 host's (open flags), the host's comes from the host headers
// and the translation is explicit.
#pragma once

#include <cstdint>

namespace dusim::linux_abi {

// errno (asm-generic, as on the host).
enum : int64_t {
  kEPERM = 1, kENOENT = 2, kESRCH = 3, kEINTR = 4, kEIO = 5, kEBADF = 9, kECHILD = 10, kEAGAIN = 11,
  kENOMEM = 12, kEACCES = 13, kEFAULT = 14, kEEXIST = 17, kENODEV = 19, kENOTDIR = 20, kEISDIR = 21,
  kEINVAL = 22, kEMFILE = 24, kENOTTY = 25, kESPIPE = 29, kEROFS = 30, kERANGE = 34, kENAMETOOLONG = 36,
  kENOSYS = 38, kELOOP = 40, kEOVERFLOW = 75, kEOPNOTSUPP = 95, kETIMEDOUT = 110,
};

// Signals.
enum : int {
  kSIGHUP = 1, kSIGINT = 2, kSIGQUIT = 3, kSIGILL = 4, kSIGTRAP = 5, kSIGABRT = 6, kSIGBUS = 7, kSIGFPE = 8,
  kSIGKILL = 9, kSIGUSR1 = 10, kSIGSEGV = 11, kSIGUSR2 = 12, kSIGPIPE = 13, kSIGALRM = 14, kSIGTERM = 15,
  kSIGSTKFLT = 16, kSIGCHLD = 17, kSIGCONT = 18, kSIGSTOP = 19, kSIGTSTP = 20, kSIGTTIN = 21, kSIGTTOU = 22,
  kSIGURG = 23, kSIGXCPU = 24, kSIGXFSZ = 25, kSIGVTALRM = 26, kSIGPROF = 27, kSIGWINCH = 28, kSIGIO = 29,
  kSIGPWR = 30, kSIGSYS = 31, kNSIG = 64,
};
// sigaction flags (asm/signal.h).
constexpr uint64_t kSA_SIGINFO = 0x4, kSA_ONSTACK = 0x08000000, kSA_RESTART = 0x10000000,
                   kSA_NODEFER = 0x40000000, kSA_RESETHAND = 0x80000000;
constexpr uint64_t kSIG_DFL = 0, kSIG_IGN = 1;
enum : int { kSIG_BLOCK = 0, kSIG_UNBLOCK = 1, kSIG_SETMASK = 2 };
enum : int { kSS_ONSTACK = 1, kSS_DISABLE = 2 };
constexpr uint64_t kMINSIGSTKSZ = 2048;
// siginfo si_code values.
enum : int {
  kSI_USER = 0, kSI_TKILL = -6, kSEGV_MAPERR = 1, kSEGV_ACCERR = 2, kILL_ILLOPC = 1, kILL_PRVOPC = 5,
  kTRAP_BRKPT = 1, kFPE_FLTDIV = 3, kFPE_FLTOVF = 4, kFPE_FLTUND = 5, kFPE_FLTRES = 6, kFPE_FLTINV = 7,
};

// Kernel struct sigaction: handler, flags, restorer, mask (8 bytes each).
constexpr unsigned kSigactionSize = 32;
// stack_t: ss_sp @0, ss_flags @8 (int), ss_size @16.
constexpr unsigned kStackTSize = 24;
// Kernel struct ucontext (asm/ucontext.h) and sigcontext (asm/sigcontext.h).
namespace uc {
constexpr unsigned kFlags = 0, kLink = 8, kStack = 16, kSigmask = 40, kMcontext = 168;
constexpr unsigned kSize = 168 + 1528;  // sigcontext with the VSX-extended vmx_reserve
}
namespace sc {  // offsets inside struct sigcontext
constexpr unsigned kSignal = 32, kHandler = 40, kOldmask = 48, kRegs = 56, kGpRegs = 64, kFpRegs = 448,
                   kVRegs = 712;
}
// pt_regs slots in gp_regs (asm/ptrace.h).
enum : unsigned {
  kPT_NIP = 32, kPT_MSR = 33, kPT_ORIG_R3 = 34, kPT_CTR = 35, kPT_LNK = 36, kPT_XER = 37, kPT_CCR = 38,
  kPT_SOFTE = 39, kPT_TRAP = 40, kPT_DAR = 41, kPT_DSISR = 42, kPT_RESULT = 43,
};
// arch/powerpc/kernel/signal_64.c: struct rt_sigframe {ucontext uc; long _unused[2];
// u32 tramp[7]; siginfo* pinfo; void* puc; siginfo info; char abigap[512]} aligned 16
// (no transactional-memory second ucontext: POWER5 has none).
namespace frame {
constexpr unsigned kUc = 0, kTramp = uc::kSize + 16, kPinfo = kTramp + 28 + 4, kPuc = kPinfo + 8,
                   kInfo = kPuc + 8, kAbiGap = kInfo + 128, kSize = kAbiGap + 512;
}
constexpr uint64_t kSignalFrameSize = 128;  // __SIGNAL_FRAMESIZE: the handler's dummy caller frame
static_assert(frame::kSize % 16 == 0);

// mmap, mprotect, mremap, madvise.
constexpr uint64_t kPROT_READ = 1, kPROT_WRITE = 2, kPROT_EXEC = 4;
constexpr uint64_t kMAP_SHARED = 0x1, kMAP_PRIVATE = 0x2, kMAP_FIXED = 0x10, kMAP_ANONYMOUS = 0x20,
                   kMAP_FIXED_NOREPLACE = 0x100000;
constexpr uint64_t kMREMAP_MAYMOVE = 1, kMREMAP_FIXED = 2;
constexpr uint64_t kMADV_DONTNEED = 4;

// open flags as ppc64 defines them (octal; they differ from x86-64's).
constexpr uint64_t kO_ACCMODE = 03, kO_CREAT = 0100, kO_EXCL = 0200, kO_NOCTTY = 0400, kO_TRUNC = 01000,
                   kO_APPEND = 02000, kO_NONBLOCK = 04000, kO_DIRECTORY = 040000, kO_NOFOLLOW = 0100000,
                   kO_LARGEFILE = 0200000, kO_DIRECT = 0400000, kO_CLOEXEC = 02000000, kO_PATH = 010000000,
                   kO_TMPFILE = 020000000;
constexpr int64_t kAT_FDCWD = -100;
constexpr uint64_t kAT_SYMLINK_NOFOLLOW = 0x100, kAT_EMPTY_PATH = 0x1000;
// fcntl.
enum : int { kF_DUPFD = 0, kF_GETFD = 1, kF_SETFD = 2, kF_GETFL = 3, kF_SETFL = 4, kF_DUPFD_CLOEXEC = 1030 };
constexpr uint64_t kFD_CLOEXEC = 1;
// ioctl requests.
constexpr uint64_t kTCGETS = 0x403c7413, kTIOCGWINSZ = 0x40087468;

// struct stat (asm/stat.h, 144 bytes).
namespace stat {
constexpr unsigned kDev = 0, kIno = 8, kNlink = 16, kMode = 24, kUid = 28, kGid = 32, kRdev = 40, kSize = 48,
                   kBlksize = 56, kBlocks = 64, kAtime = 72, kMtime = 88, kCtime = 104, kBytes = 144;
}
// struct rlimit: cur, max.
constexpr unsigned kRlimNlimits = 16;
enum : unsigned { kRLIMIT_STACK = 3, kRLIMIT_NOFILE = 7 };
constexpr uint64_t kRlimInfinity = ~uint64_t(0);
// struct utsname: six fields of 65 bytes.
constexpr unsigned kUtsField = 65;

// clone flags.
constexpr uint64_t kCLONE_VM = 0x100, kCLONE_FS = 0x200, kCLONE_FILES = 0x400, kCLONE_SIGHAND = 0x800,
                   kCLONE_VFORK = 0x4000, kCLONE_PARENT = 0x8000, kCLONE_THREAD = 0x10000,
                   kCLONE_SYSVSEM = 0x40000, kCLONE_SETTLS = 0x80000, kCLONE_PARENT_SETTID = 0x100000,
                   kCLONE_CHILD_CLEARTID = 0x200000, kCLONE_DETACHED = 0x400000,
                   kCLONE_CHILD_SETTID = 0x1000000;

// futex operations.
enum : unsigned {
  kFUTEX_WAIT = 0, kFUTEX_WAKE = 1, kFUTEX_REQUEUE = 3, kFUTEX_CMP_REQUEUE = 4, kFUTEX_WAKE_OP = 5,
  kFUTEX_WAIT_BITSET = 9, kFUTEX_WAKE_BITSET = 10,
};
constexpr unsigned kFUTEX_PRIVATE_FLAG = 128, kFUTEX_CLOCK_REALTIME = 256;
constexpr uint32_t kFUTEX_BITSET_MATCH_ANY = 0xffffffff;

// clocks.
enum : uint64_t {
  kCLOCK_REALTIME = 0, kCLOCK_MONOTONIC = 1, kCLOCK_PROCESS_CPUTIME_ID = 2, kCLOCK_THREAD_CPUTIME_ID = 3,
  kCLOCK_MONOTONIC_RAW = 4, kCLOCK_REALTIME_COARSE = 5, kCLOCK_MONOTONIC_COARSE = 6, kCLOCK_BOOTTIME = 7,
};
constexpr uint64_t kTIMER_ABSTIME = 1;

}  // namespace dusim::linux_abi
