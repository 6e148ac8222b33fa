#pragma once
#define ALWAYS_INLINE __attribute__((always_inline))
#define NORETURN __attribute__((noreturn))
#define INIT_PRIORITY(x) __attribute__((init_priority((x))))

class Space_mem
{
    public:
        static Space_mem kern;
        static constexpr unsigned long order = 12;
        static inline unsigned count { 0 };
        int members;

        ALWAYS_INLINE
        inline unsigned long lookup (unsigned long addr) const { return addr + members; }

        NORETURN
        static void shutdown();

        [[nodiscard]] bool insert (unsigned long, unsigned);

        Space_mem();
        ~Space_mem();
        bool operator== (Space_mem const &o) const { return members == o.members; }
        template <typename T> T get() const { return T(); }
};

ALWAYS_INLINE
static inline bool check (unsigned x) { return x > 1; }

NORETURN
void panic_halt();

unsigned Space_mem::lookup_count;
INIT_PRIORITY (PRIO_SPACE_MEM) Space_mem Space_mem::kern;
namespace Nova { unsigned long boot_time = 5; }
__attribute__((section(".init"))) void init_early() { }
[[noreturn]] void die() { for (;;); }
