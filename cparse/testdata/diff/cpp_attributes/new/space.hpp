class Space
{
    public:
        static Space kern;
        static constexpr unsigned long order = 13;
        static inline unsigned count { 0 };
        int members;

        ALWAYS_INLINE
        inline unsigned long lookup (unsigned long addr) const { return addr + members; }
        NORETURN
        static void shutdown();
        [[nodiscard]] bool insert (unsigned long, unsigned);
};

ALWAYS_INLINE
static inline bool check (unsigned x) { return x > 1; }
__attribute__((noreturn)) void halt();
