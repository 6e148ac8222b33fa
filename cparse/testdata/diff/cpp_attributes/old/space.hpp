class Space
{
    public:
        static Space kern;
        static constexpr unsigned long order = 12;
        int members;

        inline unsigned long lookup (unsigned long addr) const { return addr + members; }
        static void shutdown();
        bool insert (unsigned long, unsigned);
};

static inline bool check (unsigned x) { return x > 1; }
void halt();
