package classify

import (
	"cmp"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/upsynth/upsynth/cparse"
	"github.com/upsynth/upsynth/kernel"
)

// Purpose is why a commit was made, read from its message and its diff.
type Purpose string

const (
	Fix     Purpose = "fix"
	Perf    Purpose = "perf"
	Feature Purpose = "feature"
	Cleanup Purpose = "cleanup"
	Other   Purpose = "other"
)

var (
	// prefixRe is a conventional-commit prefix ("fix(vfs)!:"), a
	// bracketed tag ("[Fix]", "fix[RL78 Port]"), or a tag before the areas
	// a change is in ("trivial, gic_v2: Use CURRENT_CPU_INDEX()").
	prefixRe = regexp.MustCompile(`^\s*(?:\[([A-Za-z]+(?:_[A-Za-z]+)?)\]|([A-Za-z]+)(?:\([^)]*\)|\[[^\]]*\])?!?:|([A-Za-z]+)\[[^\]]*\]|([A-Za-z]+)(?:,\s*[\w/.-]+)+:)`)
	fixesRe  = regexp.MustCompile(`(?mi)^\s*Fixes:\s*\S`)
	cveRe    = regexp.MustCompile(`(?i)\bCVE-\d{4}-\d{4,}\b`)
	reportRe = regexp.MustCompile(`(?mi)^\s*Reported(-and-tested)?-by:\s*\S`)
	// issueFixRe: the message fixes an issue of the project's tracker
	// ("Fix #101.", "fixes managarm/managarm#12"), GitHub's convention
	// for closing a bug report with a commit.
	issueFixRe = regexp.MustCompile(`(?i)\bfix(es|ed)?:?\s+([\w.-]+/[\w.-]+)?#\d+\b`)
	// workaroundGoneRe: the subject removes a workaround or a hack; the
	// problem it names was somebody else's and is gone, so the commit
	// tidies ("remove workaround for QEMU bug").
	workaroundGoneRe = regexp.MustCompile(`(?i)\b(remov(e|es|ed|ing)|drop(s|ped|ping)?|delet(e|es|ed|ing)|rm|get(ting)? rid of)\s+(\w+\s+){0,3}?(work-?arounds?|hacks?|kludges?)\b`)
	prefixMap        = map[string]Purpose{
		"fix": Fix, "bugfix": Fix, "hotfix": Fix,
		"perf": Perf,
		"feat": Feature, "feature": Feature,
		"refactor": Cleanup, "cleanup": Cleanup, "style": Cleanup, "docs": Cleanup, "doc": Cleanup, "chore": Cleanup,
		"test": Cleanup, "ci": Cleanup, "trivial": Cleanup, "build": Cleanup,
		"style_fix": Cleanup, // seL4's style checker's commits
		"manual":    Cleanup, // seL4's reference manual
	}
	// weakPrefixes name the part of the tree a change is in, not its
	// purpose: a word of the subject that says something went wrong
	// decides over them ("build: fix the linker script's crash"). seL4's
	// "trivial:" is not one: its "trivial: Fix types when printing" is a
	// tidying.
	weakPrefixes = map[string]bool{"build": true}
	// typoInNameRe: a typo in a macro's name (CONFIG_ARM_SMMU) or in a
	// preprocessor test ("Fix typo in FPU extension ifdef for RISCV"),
	// which the code tests: no comment's spelling.
	typoInNameRe = regexp.MustCompile(`(?i:typos?) in (the )?([A-Z][A-Z0-9]*_[A-Z0-9_]+\b|(?i:(\w+ )?(definition|declaration|prototype|signature) of) \w+|(?i:(\w+ ){0,3}?(#?ifn?def|#if|preprocessor conditions?|include guard)\b))`)
	// quieterRe: a subject that silences messages ("thor: Do not warn
	// about MSI masking", "posix: Disable netlink debugging messages"):
	// what the kernel does stays, its log gets quieter.
	quieterRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?((do not|don'?t|stop|no longer) (warn|log|print|complain)(s|ing)?\b|(disabl|reduc)(e|es|ed|ing) (\w+ ){0,2}?(debug(ging)?|verbose|logging) (messages?|output|prints?|logs?|logging)\b)`)
	// removeNeedlessRe: a subject removing what served nothing ("Remove
	// unused flags", "delete dead code", "Remove empty level2 cache
	// code").
	removeNeedlessRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(remov(e|es|ed|ing)|delet(e|es|ed|ing)|drop(s|ped)?) (the )?(empty|unused|dead|stale|obsolete|redundant|unneeded|unnecessary|duplicated?|superfluous|useless)\b`)
	// vcsAddRe: a subject that is the version-control command adding a
	// file ("cvs add spinlock.h"): the file the last commit used and
	// forgot, a build mended.
	vcsAddRe = regexp.MustCompile(`(?i)^(cvs|svn|git|hg) add\b`)
	// trivialMendRe: what a "trivial:" change may still mend ("trivial:
	// Use correct configuration for TLS base", "trivial: tighten
	// assertion on IRQ CNode size", "trivial: negate flipped assertion",
	// a build broken: "trivial: Fix semicolon error and missing symbol");
	// its "fix" is as often a typo's.
	trivialMendRe = regexp.MustCompile(`(?i)\b(correct|incorrect(ly)?|wrong(ly)?|tighten(s|ed)?|flipped|inverted|backwards|missing|(build|compile|compilation|syntax|semicolon|link) errors?)\b`)
	// linkFixRe: links or URLs mended ("Fix some broken/redirected URL",
	// "Update broken links in readme and comments").
	linkFixRe = regexp.MustCompile(`(?i)\b(fix|updat|correct|repair|replac)\w*\b.*\b(urls?|hyperlinks?|(broken|dead|redirected|outdated|stale)( and \w+)? (\w+/)?(urls?|links?))\b`)
	// docsTargetRe: a change made in the manual or the generated
	// documentation ("allow API level description in manual", "Added
	// <docref> XML Tag to Doxygen").
	docsTargetRe = regexp.MustCompile(`(?i)\b(in|to|for|of) (the )?(manual|doxygen|documentation|docs|readme)\b`)
	// cosmeticFixRe is a "fix" of something no running kernel notices: a
	// typo, a comment, a compiler warning, a coding-standard violation.
	cosmeticFixRe = regexp.MustCompile(`(?i)\b(fix(es|ed|ing)?|correct(s|ed|ing)?|resolv(e|es|ed|ing)|silenc(e|es|ed|ing)|suppress(es|ed|ing)?|avoid(s|ed|ing)?|prevent(s|ed|ing)?|remov(e|es|ed|ing))\b[^.]{0,60}?\b(typos?|spelling|misspell\w*|comments?|(compiler|compile|build|gcc|clang|msvc|iar|unused[- ]\w+) warnings?|warnings?|(compiler|iar|gcc|clang) remarks?|remarks? (emitted|reported|raised|issued|given) by|include (mess|hygiene|clutter)|(use|usage|uses) of deprecated|(parameters?|variables?|locals?|names?) shadowing|shadow(s|ed|ing)? (a |the )?(global|outer|member)? ?(variables?|parameters?|names?|declarations?)|deprecat(ed|ion) (warnings?|usage|semantics|syntax|constructs?)|misra(_\w*)?|coverity|lint|formatting|indentation|whitespace|doxygen|docs?|documentation|readme|grammar|links?|copyright|capitali[sz]ation|letter case)\b|\b(typos?|spelling|comments?|whitespace|spacing|indentation|formatting|style|doxygen|docs?|grammar|(compiler |build )?warnings?)\s+fix(es)?\b|\bmisra(_\w*)?\b`)
	// keywords, in the order the rulebook checks them.
	// keywords, in the order the rulebook checks them: words that say
	// something went wrong, performance words, weaker words that say so,
	// then cleanup and feature words (the first of those two in the text).
	keywords = []keyword{
		{Fix, regexp.MustCompile(`(?i)\b(fix(es|ed|ing)?|(wh)?oops|unexpected(ly)?|bugs?|leak(s|ed|ing|y)?|rac(e|es|ed|y|ing)|(dead|live)lock(s|ed|ing)?|crash(es|ed|ing)?|overflow(s|ed|ing)?|underflow(s|ed)?|off-by-one|wrong(ly)?|incorrect(ly)?|double[- ]frees?|use-after-free|null(ptr)? (pointer )?deref(erenc(e|es|ing))?s?|lost|corrupt(s|ed|ion)?|damaged?|broken|bogus|panic(s|ked)?|hang(s|ing)?|stuck|uninitiali[sz]ed|regression|erroneous(ly)?|spurious|toctou)\b`)},
		{Perf, regexp.MustCompile(`(?i)\b(faster|slow(s|er|ness|ly)?|speed(s|ing)? ?up|optimi[sz](e|es|ed|ing|ation|ations)|performance|throughput|quadratic|cach(e|es|ed|ing)|(a|with|use|using|by) hash(ed)?[- ]?(tables?|maps?|sets?|lookups?)|hash(ed|ing)|hash(es)? (\w+ ){0,2}?instead of|latency|contention|batch(es|ed|ing)?|in (one|a single) (request|call|message|round[- ]trip|syscall|system call|transaction)|combin(e|es|ed|ing) (\w+ ){0,2}?(reads|writes|requests|accesses|transfers|operations|calls|syscalls|system calls|ipis|flushes|messages|allocations)|coalesc(e|es|ed|ing)|avoid\w*\b.*\b(cop(y|ies|ying)|scan(s|ning)?)|avoid(s|ed|ing)? (\w+ )?(zero(e?s|ing)?|alloc\w*|lock(s|ing)?|flush(es|ing)?|spin(s|ning)?|poll(s|ing)?|wak(e|es|ing)(ups?)?|search(es|ing)?|walk(s|ing)?|recomput\w*|reload\w*|loop(s|ing)?|syscalls?|system calls?|interrupts?|ipis?|tlb \w+|work|overhead|extra|unneeded|unnecessary|redundant|needless)|improv(e|es|ed|ing)\b.*\b(allocation|memory use|speed|scalability|efficiency)|(reduc|decreas|minimi[sz]|sav|cut|shrink)(e|es|ed|ing|s)? (the )?(\w+ ){0,2}?((memory|ram|stack|heap|flash|rom) (usage|use|footprint|consumption|requirements?)|footprint|code[- ]size|binary size)|smarter|(more )?efficient(ly)?|cheap(er|ly)|fewer|fast[- ]paths?|fine(r)?[- ]grain(ed)?)\b|O\([a-z0-9 ^*log]+\)`)},
		{Fix, regexp.MustCompile(`(?i)\b(missing|missed|badly \w+(ed|en)|add(s|ed|ing)? (\w+ ){0,3}?validation|thread[- ]safe(ty)?|add(s|ed|ing)? (?-i:[\w-]*[A-Z_0-9][\w-]*) ([\w-]+ ){0,2}?checks?\b|^([\w/.,-]+: )?(check|validate|verify)(s|ed)? (the )?\w+ (passed|given|handed|returned|read)\b|for (a |an |the )?(null|nil|empty|zero[- ]length) (strings?|pointers?|arguments?|args?|inputs?|names?|paths?)|(consistency|sanity|validity|integrity|bounds?|range) checks?|^([\w/.,-]+: )?not (using|calling|taking|holding|touching|modifying)|atomically|tighten(s|ed|ing)? (the )?(\w+ ){0,2}?(checks?|assertions?|asserts?|bounds?|validation|limits?|conditions?)|check(s|ed|ing)? (for )?(the )?(errors?|return (value|code)s?|results?|failures?)|add(s|ed|ing)? (an? |the )?(missing |extra |additional |more |further |explicit |proper )?(checks?|asserts?|assertions?|guards?|sanity checks?|reserved|padding)|\w*barriers?|(byte|memory|stack|word|data|cache[- ]line) alignment|^([\w/.,-]+: )?check(s|ed)? (if|whether|that)|undefined behaviou?r|(improv(e|es|ed|ing)|better|strict(er)?|tighter|more robust) (the )?(\w+ )?(check(s|ing)?|validation|verification|sanity[- ]checks?|error[- ]handling|bounds?[- ]checks?)|invalid|correct(s|ed|ly|ion|ness)?|(don'?t|do not|never|must|should( not|n'?t)?)|fail(s|ed|ures?|ing)?|guard(s|ed|ing)?|workarounds?|misaligned|unaligned|prevent(s|ed|ing)?|ensur(e|es|ed|ing)|mak(e|es|ing) sure|assert(s|ion|ions)?|properly|so( that)? [\w ]+ works|get\b.*\bright|accurately|zero(e?s|ed)? out|clear(s|ed)?\b.*\b(after|before|on)|^([\w/.-]+: )?free(s|d|ing)? \w+|(tak(e|es|en|ing)|took) ([\w'-]+ ){0,4}?into account)\b`)},
		{Cleanup, regexp.MustCompile(`(?i)\b(clean(s|ed|ing)?[- ]?ups?|refactor(s|ed|ing)?|renam(e|es|ed|ing)|tid(y|ies|ied)|comments?|whitespace|typos?|style|simplif(y|ies|ied|ying|ication)|simpler|renumber(s|ed|ing)?|deprecat(e|es|ed|ing|ion)|nits?|nit-?pick(s|ing)?|nothing much|indent(s|ed|ing)?|spacing|switch(es|ed|ing)? to c\+\+\d+|dead code|unused|redundan(t|cy|cies)|unnecessary|unneeded|needless(ly)?|continuity|rationali[sz](e|es|ed|ing|ation)|format(s|ted|ting)? (the )?(\w+ )?(code|files?|sources?|headers?)|file (name )?extensions?|remov(e|es|ed|ing)|rm|nuk(e|es|ed|ing)|delet(e|es|ed|ing)|drop(s|ped|ping)?|reorder(s|ed|ing)?|reformat(s|ted)?|consisten(t|tly|cy)|consequently|more (regular|uniform|consistent)|(like|as) (\w+ ){1,2}?(does|do)|regulari[sz](e|es|ed|ing)|clarif(y|ies|ied)|rework(s|ed|ing)?|clearer|cleaner|readab(le|ility)|align(s|ed)? \w+( \w+)* with|document(s|ed|ing|ation)?|formatting|spelling|copyright|licen[sc]e|moderni[sz](e|es|ed|ing|ation)|standardi[sz](e|es|ed|ing|ation)|shorten(s|ed|ing)?|normali[sz](e|es|ed|ing|ation)|line[- ]endings?|crlf|shuffl(e|es|ed|ing)|rearrang(e|es|ed|ing|ements?)|unif(y|ies|ied|ication)|consolidat(e|es|ed|ing|ion)|(one|single|a single|a common|one common|one generic) (\w+ ){0,2}?(definition|copy|place|source|impl|implementation|version)s?\b|make (\w+ ){1,4}?(the )?same as|de-?dup(e|es|ed|ing|licat(e|es|ed|ing|ion))?|quiet(er|en|ed)?|hard-?cod(e|es|ed|ing)|gone|syntax|legal|avoid(s|ed|ing)? (the )?(usage|use|using) of|stop(s|ped)? using|convert(s|ed|ing)?\b.*\bto|turn(s|ed|ing)? [\w:()]+( \w+)? into|switch(es|ed|ing)? ([\w/.-]+ ){1,3}?to|upgrad(e|es|ed|ing)\b.*\bapis?|migrat(e|es|ed|ing|ion)|add(s|ed|ing)? (\w+ ){0,2}(tests?|test cases?|testcases?|parameter names?|argument names?|annotations?|qualifiers?|unused|maybe_unused|noreturn|statements|braces|parenthes[ie]s|comments?|docs?|documentation|doxygen|descriptions?|explanations?)|mark(s|ed|ing)? [\w()>:-]+( [\w()>:-]+){0,3}? as (no-?return|__noreturn|unused|maybe_unused|deprecated|static|inline|noinline|weak|nodiscard|constexpr|final|override|explicit|(?-i:[A-Z][A-Z0-9_]{2,}))|(extract|abstract)(s|ed|ing)? ([\w()]+ ){0,3}?((in)?to|from)\b|factor(s|ed|ing)? (\w+ ){0,3}?out|^([\w/.-]+: )?align(s|ed)? (\w+ ){0,2}?(checks?|style|names?|naming|code|formatting|spelling|comments?|wording|messages?|declarations?|definitions?|usage|locations?|placements?|positions?|output|columns?|tables?))\b`)},
		{Feature, regexp.MustCompile(`(?i)^([\w/.,-]+: )?(\w+ly )?(print|show|display|report|log)(s|ed|ing)?\b|\b(add(s|ed|ing)?|support(s|ed|ing)?|implement(s|ed|ing)?|introduc(e|es|ed|ing)|new|enabl(e|es|ed|ing)|allow(s|ed|ing)?|provid(e|es|ed|ing)|expose[sd]?|extend(s|ed)?|option(s|al)?|creat(e|es|ed|ing)|available|integrat(e|es|ed|ing))\b`)},
	}
	// warningRe is a compiler's warning quoted as the subject
	// ("tasks.c:2067:11: warning: ... [-Wduplicated-branches]").
	// licenseRe: a subject about licensing or legal text.
	licenseRe = regexp.MustCompile(`(?i)\b(licen[sc](e|es|ing)|copyrights?|legal|spdx)\b`)
	warningRe = regexp.MustCompile(`(?i)(\bwarning: |\[-W[\w-]+(=\w+)?\]|(^|[\s\x60'"(])-W[a-z][a-z0-9-]+(=\w+)?\b)`)
	// movedToSubmoduleRe: code moved out of the tree into a submodule
	// ("Xtensa support updated and moved to Partner-Supported
	// submodules"): the tree loses it, no pointer moves.
	movedToSubmoduleRe = regexp.MustCompile(`(?i)\bmov(e|es|ed|ing) (\w+ ){0,3}?(in)?to (the )?([\w-]+ ){0,3}?(sub-?modules?|(separate|own|other) repo(sitory|sitories|s)?)\b`)
	// submoduleRe: the commit moves a submodule pointer; what it brings
	// is the submodule's business.
	submoduleRe = regexp.MustCompile(`(?i)\b(updat\w*|bump\w*|sync\w*|advanc\w*)\b.*\bsubmodule\w*|\bsubmodule\w*\b.*\b(updat\w*|bump\w*)`)
	// mergedBranchRe: a development branch squashed into one commit.
	mergedBranchRe = regexp.MustCompile(`(?i)^\s*merg(e|ed|ing)\s+(the\s+)?[\w./-]+\s+(feature\s+)?(branch|feature)\b`)
	// moveIntoConditionRe: code moved under a condition ("x86: Move
	// hwASIDInvalidate inside condition in deleteASID"): no longer run
	// always, a behaviour mended, not code rearranged.
	moveIntoConditionRe = regexp.MustCompile(`(?i)\bmov(e|es|ed|ing)\b.*\b(inside|into|under|behind|within) (the |a |an )?(condition(al)?|if|check|guard|branch)\b`)
	// bodyFixesRe: a body sentence that says the commit fixes something
	// ("This fixes ATA on VirtualBox.").
	bodyFixesRe = regexp.MustCompile(`(?im)^\s*(this|it|that) (also |now )?(fix(es)?|resolves|repairs) `)
	leadMoveRe  = regexp.MustCompile(`(?i)^([\w/.-]+: )?mov(e|es|ed|ing)\b`)
	// restructureLeadRe: a subject that starts by restructuring code
	// ("Split fault types into arch/generic", "Merge exynos debug serial
	// drivers", a sed-style rename "s/isIOSpaceFrame/
	// isIOSpaceFrameCap/"); read like a move, a cleanup unless it says
	// something went wrong.
	restructureLeadRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )*(split(s|ting)?|merg(e|es|ed|ing)|separat(e|es|ed|ing)|restructur(e|es|ed|ing)|(re)?organi[sz](e|es|ed|ing)|s/[^/\s]+/[^/\s]+/?)(\s|$)`)
	nfcRe             = regexp.MustCompile(`(?i)\b(no (functional|behaviou?r(al)?) changes?|NFC|NFCI|clean(ed)?[- ]?up|refactor(ed|ing)?)\b`)
	releaseRe         = regexp.MustCompile(`(?i)\b(version (number|change|bump|update)|bump(ed)? (the )?version|updat(e|ed|ing) (the )?(kernel )?version|prepar(e|ing) (for )?(the )?release|for (the )?(v?[\d.]+ )?release|release v?\d[\d.]*|\w*version_(number|build)\w*|call(ed|ing)? it v?\d+(\.\d+)+|release snapshot|snapshot (of|for) (the )?release)\b`)
	// restoreRe: what an earlier change took away brought back ("add
	// back", "allow long names again"), or a case handled.
	restoreRe = regexp.MustCompile(`(?i)\b(add(ed)? back|restor(e|es|ed|ing)|put back|(allow|enabl|support|work|build|compil|boot)\w* (\S+ ){0,4}?again)\b|^([\w/.-]+: )?handl(e|es|ed)\b`)
	// orderMoveRe: something moved before, above or ahead of another
	// thing ("Move header includes before extern c").
	orderMoveRe   = regexp.MustCompile(`(?i)\bmov(e|es|ed|ing)\b.*\b(before|above|ahead of|prior to|earlier than|after (the |its )?(declaration|definition)s?)\b`)
	moveRe        = regexp.MustCompile(`(?i)\b(mov(e|es|ed|ing)|reorder\w*|shuffl(e|es|ed|ing)|rearrang(e|es|ed|ing))\b`)
	prNumberRe    = regexp.MustCompile(`\s*\(#\d+\)`)
	cleanupLeadRe = regexp.MustCompile(`(?i)^([\w/.-]+: )?(clean(ed)?[- ]?up|refactor(ed)?|tidy|rename[sd]?|simplif(y|ied)|reformat(ted)?|moderni[sz](e|es|ed)|standardi[sz](e|es|ed)|rephras(e|es|ed)|reword(s|ed)?|remove unused|remove dead|delete unused|delete dead|goodbye)(\s|$)`)
	// useLibraryRe: a subject taking up a library's facility.
	useLibraryRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(use[sd]?|using) (the |a )?(lib\w+|\w+ library|(generic|common|shared) \w+ (implementation|code|helpers?))\b`)
	// perfAimRe: a message giving performance as the aim.
	perfAimRe = regexp.MustCompile(`(?i)\bfor (better |improved )?(performance|speed|efficiency)\b|\b(is|are|be|becomes?) (much |far |a lot )?(more efficient|faster|cheaper)\b|\bto (improve|increase|boost) (the )?(performance|speed|throughput|efficiency)\b|\bto (reduce|cut|lower|save) (the )?(overhead|latency|memory( usage| use| footprint)?|code size)\b`)
	// fixAimRe: a body saying the commit mends a named problem ("This
	// fixes the compilation issue with XC32"); a warning is cosmetic.
	// "Also fixes a potential locking issue" says it too.
	fixAimRe = regexp.MustCompile(`(?i)\b(this|it|which|also) (fix(es)?|resolves|solves|corrects) (the |a |an )?(\w+ ){0,3}?(issues?|problems?|bugs?|errors?|failures?|crash(es)?|hangs?|regressions?)\b`)
	// trackerRefRe follows "resolves issue" naming the tracker's number.
	trackerRefRe = regexp.MustCompile(`^\s*#?\d`)
	// handleMoreRe: handling extended to more cases ("thor: Handle more
	// faults and log error codes") is new behaviour, not a correction.
	handleMoreRe = regexp.MustCompile(`(?i)^([\w/.-]+: )?handl(e|es|ed|ing) (more|additional|other|further|new)\b`)
	// unboundedWriteRe and boundedWriteRe: a write into a buffer that
	// does not know its size, and the call that does; a subject naming
	// both ("Replace sprintf with snprintf") stops an overflow. (Reads
	// bounded, "Use strnlen over strlen", are not this.)
	unboundedWriteRe = regexp.MustCompile(`\b(v?sprintf|strcpy|stpcpy|strcat)\b`)
	boundedWriteRe   = regexp.MustCompile(`\b(v?snprintf|strncpy|strlcpy|strscpy|stpncpy|strncat|strlcat)\b`)
	// restrictRe: a subject that narrows what is allowed or built to a
	// condition ("Allow binding PT to EC only if both will be in the same
	// PD.", "Define vApplicationGetTimerTaskMemory only when
	// configUSE_TIMERS is set"): a case that went wrong before, a hole
	// closed or a build failure where the condition does not hold; no
	// feature for its "allow".
	restrictRe = regexp.MustCompile(`(?i)\b(allow(s|ed|ing)?|permit(s|ted|ting)?|defin(e|es|ed|ing)|declar(e|es|ed|ing)|compil(e|es|ed|ing)|buil(d|ds|t|ding)|enabl(e|es|ed|ing))\b[^.;]{1,80}?\bonly (if|when|while|for|from|in|by|within|inside|on)\b|^([\w/.,-]+: )?only (use|map|enable|allow|call|run|set|build|do)\b[^.;]{1,80}?\b(if|when|while)\b`)
	// handleCaseRe: a subject that starts handling a case ("thor: Handle
	// spurious IRQs of legacy PIC", "POSIX Simulator: Handle `pthread`s
	// not created by FreeRTOS differently"): the case went wrong before.
	// New operations handled ("arm,smc: Handle revoke cap operations")
	// and more of them (handleMoreRe) are features.
	handleCaseRe    = regexp.MustCompile(`(?i)^([\w/.,-]+( [\w/.,-]+)?: )?handl(e|es|ing) `)
	handleFeatureRe = regexp.MustCompile(`(?i)\b(operations?|requests?|commands?|invocations?|syscalls?|system calls?|messages?)\b`)
	// protectWithLockRe: data protected with a lock ("Protect semaphore
	// implementation with spinlock."): a race closed.
	// Or against what would race ("thor: Protect memory allocators
	// against IRQs/SMP").
	protectWithLockRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?protect(s|ed|ing)? .*\b(with (an? |the )?([\w-]+ ){0,2}?(locks?|spin ?locks?|mutex(es)?|sleep ?locks?|semaphores?)|against (concurrent |nested )?(irqs?|interrupts?|smp|races?|preemption|other (cpus|cores|threads))(/(irqs?|interrupts?|smp|preemption))?)\b`)
	// makeCompileRe: code made to compile ("Make code compile with older
	// compilers."): a build that failed.
	// debugVerbRe: a subject whose verb is debug ("drivers/usb: Debug
	// USB drivers on bochs", "ehci: Debug halt on real hardware"): what
	// did not work made to; a "debug:" area or "debugging" output is not.
	debugVerbRe   = regexp.MustCompile(`(?i)^([\w/.,-]+: )*debug(s|ged)? \w`)
	makeCompileRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(make|let)(s)? (\w+ ){0,3}?(compile|build|link)s?\b`)
	// quotedRe is text in double quotes: a message or a name the subject
	// quotes ('posix: Remove "untested cancellation" message'), not what
	// it says of the commit.
	quotedRe = regexp.MustCompile(`"[^"]*"`)
	// untestedRe: new code said to be untested ("compiling, but untested
	// dup"): work in progress on something new.
	untestedRe = regexp.MustCompile(`(?i)\buntested\b`)
	// tweaksRe: a subject that is a list of tweaks ("aarch64: verification
	// VCPU tweaks", "tweaks"); one "tweak" is as often a fix.
	tweaksRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?([\w-]+ ){0,3}tweaks\.?$`)
	// uglinessGoneRe: ugly code taken out ("yank out stack overflow
	// checking ugliness"), whatever it was about.
	uglinessGoneRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(yank|rip|remov|delet|drop|kill|nuk)(e|es|ed|ing|s|ped|ping)?( out)? .*\b(ugl(y|iness)|cruft|crud|junk)\b`)
	// restrictLeadRe: a subject that restricts something ("Restrict
	// unpriv task to invoke code with privilege", NOVA's "Restrict operand
	// for continuation invocation."): a hole closed, as a disallowed thing
	// is (disallowRe); C++ friendship narrowed is a tidying.
	restrictLeadRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )*restrict(s|ed|ing)?\b`)
	// listingLayoutRe: xv6's printed listing ("Fit exec on a page.
	// Again", "Fix same wonky pagebreak bug in console.c"): where the
	// pages break, not what the code does.
	listingLayoutRe = regexp.MustCompile(`(?i)\bpage ?breaks?\b|\bfit(s|ted|ting)? (\w+ ){0,3}?on (a|one) page\b`)
	// noMoreRe: a subject saying something is gone ("no more cons_putc;
	// real_cons_putc -> cons_putc", "no more proc[] entry per cpu for idle
	// loop"): a tidying.
	noMoreRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?no more\b`)
	// noInitializerRe: a declaration left without an initializer
	// ("Declare variable without initializer"): the value was assigned
	// before use anyway.
	noInitializerRe = regexp.MustCompile(`(?i)\bwithout (an? |the |its )?initiali[sz](er|ers|ation)\b`)
	// proofsRe: a change for the proofs (seL4's "Generated bitfield
	// proofs: use hrs_mem_update.", "mcs: verification spec for clzll"):
	// the kernel verified, not changed in what it does.
	proofsRe = regexp.MustCompile(`(?i)\b(proofs?|verification)\b`)
	// declareInsteadRe: a declaration put in one place instead of
	// several ("Declare vApplicationMallocFailedHook function in task.h
	// instead in each C heap file"): a tidying.
	declareInsteadRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?declar(e|es|ed|ing) .*\binstead\b`)
	// standardCRe: the code made standard C ("Add void for ANSI C"):
	// what compiles and runs is the same.
	standardCRe = regexp.MustCompile(`(?i)\b(ansi|iso|standard|strict) c\b|\bc(89|90|99|11|17) (conformance|compliance|compatib\w*)\b`)
	// limitSizeRe: a subject that bounds a size or count ("thor: Limit
	// size of RecvInline operation"): what a caller could make unbounded,
	// an exhaustion or overflow, is closed.
	limitSizeRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )*(limit|bound|cap)(s|ed|ing|ped|ping)? (the )?(\w+ )?(size|length|number|count|depth|amount)s? of\b`)
	// inlineHintRe: a subject adding forced inlining or branch hints
	// ("x86: Add FORCE_INLINE to some fastpath functions", "thor: Make
	// IRQ enable/disable functions inline"): nothing new is done, what is
	// done is faster.
	inlineHintRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?inline (the |all |remaining |more |some )?(\w+ ){0,3}?(functions?|calls?|paths?|helpers?|routines?)\b|^([\w/.,-]+: )?(make|makes|made|making) ([\w():*/-]+ ){1,4}(always[_ -]?|force[_ -]?)?inline\s*\.?$|^([\w/.,-]+: )?(add(s|ed|ing)?|us(e|es|ed|ing)|forc(e|es|ed|ing)|apply|applie[sd])\b[^.;]{0,40}?\b(force[_ -]?inline[sd]?|always[_ -]?inline|__always_inline|__forceinline|likely|unlikely|expect_(true|false)|__builtin_expect|prefetch(es|ing)?)\b`)
	// makeStaticRe: a subject giving a function or variable internal
	// linkage ("pc99: Make acpi_table_init static"): its users were all
	// in its file, nothing changes for them; a tidying.
	// makeNonStaticRe: a class's static members made instance members
	// ("kernel: Make BuddyAccessor methods non-static"): the same code
	// reached through an object.
	makeNonStaticRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(make|makes|made|making)\s+([\w()*:.'-]+\s+){1,4}?non-?static\s*\.?$`)
	// makeConstRe: something declared const ("kernel/common: make
	// DeviceTreeProperty data const", "Mark some constant address
	// pointers as const"): the compiler told what the code already did.
	makeConstRe  = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(make|makes|made|making|mark|marks|marked|marking|declare|declares|declared)\s+([\w()*:.'-]+\s+){1,4}?(as )?const(expr|ant)?\s*\.?$`)
	makeStaticRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(make|makes|made|making|declare|declares|declared)\s+([\w()*:.'-]+\s+){1,4}?(static|file[- ]local)\s*\.?$`)
	// updateToVersionRe: a subject that updates or upgrades something to
	// a newer version of a protocol, SDK or interface ("kernel/eir: update
	// stivale to stivale2", "Updated ESP32 port-layer to ESP-IDF v4.4.2"):
	// what the new version brings is taken up, a feature. The target must
	// read as a version: a dotted number, "version N", or a word of the
	// subject with a number appended; "Update seL4_FaultType to 4" sets a
	// value and "Update IO port cap type to match ia32" aligns, neither is
	// a version. (A release's own version bump, a submodule's update and
	// words of tidying are read before this.)
	updateToRe      = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(updat|upgrad)(e|es|ed|ing)\b([^.;]{0,60}?)\bto (the )?`)
	dottedVersionRe = regexp.MustCompile("(?i)^([\\w-]+ )?[`'\"]?(v|version )?\\d+\\.\\d+(\\.\\d+)*\\b|^version \\d")
	numberedAfterRe = regexp.MustCompile(`^([A-Za-z][\w-]*?[A-Za-z])-?v?\d+\b`)
	// generalizeRe: a subject that generalizes existing code ("thor:
	// Generalize runDetached() -> runOnStack()"): the same work done by a
	// more general routine, a tidying; unless the message says what the
	// generality is for ("generalize async read to support write too",
	// "Generalise/SMPify PLIC code" over "Add SMP support": features) or
	// what went wrong ("Fixes regression introduced in …").
	generalizeRe   = regexp.MustCompile(`(?i)^([\w/.,-]+: )?generali[sz](e|es|ed|ing)\b`)
	generalizeToRe = regexp.MustCompile(`(?i)\bto (also )?(support|handle|allow|cover|include|accept|work)\b|\bsupport(s|ed|ing)? for\b|\b(add(s|ed|ing)?|new) (\w+ ){0,2}?support\b`)
	// renameArrowRe: a subject that is a rename, "enterpgdir -> entrypgdir",
	// "struct fd -> struct file", "writeable => writable", or that merges
	// routines into one, "forkExecutor + doSchedule -> forkAndSchedule"
	// (the names on the left joined by "+", ",", "&" or "and";
	// renameArrowNameRe picks them out).
	// renameGlobRe: a rename of every name of a pattern ("fd_* =>
	// file_*", "fd.* -> file.*").
	renameGlobRe = regexp.MustCompile(`^([\w/.,-]+: )?(\w+?)([_.]?)\*\s*(->|=>|→)\s*(\w+?)([_.]?)\*\s*\.?$`)
	// implementProperlyRe: a subject that implements something properly
	// or fully ("posix: Implement inotify properly").
	implementProperlyRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )*implement(s|ed|ing)? ((\S+ ){1,4}?(properly|fully)\b|(a |the )?proper\b)`)
	// rewriteRe: a subject whose verb is rewrite ("thor: Rewrite
	// uncaching logic to use pull model").
	rewriteRe         = regexp.MustCompile(`(?i)^([\w/.,-]+: )*(rewrite|rewrites|rewrote|rewritten)\b`)
	renameArrowRe     = regexp.MustCompile(`^([\w/.,-]+: )?((?:(?:struct|union|enum|class) )?\w+(\(\))?(\s*(\+|,|&|\band\b)\s*\w+(\(\))?)*)\s*(->|=>|→)\s*(?:(?:struct|union|enum|class) )?(\w+)(\(\))?\s*(&c|etc|and so on)?\.?$`)
	renameArrowNameRe = regexp.MustCompile(`\w+`)
	// simplifyPurposeRe: a message that says its change is made to
	// simplify or tidy ("thor: Introduce ThreadBlocker to simplify
	// blocking"): whatever it adds, the purpose it states is a tidying.
	simplifyPurposeRe = regexp.MustCompile(`(?i)\b(in order )?to (simplify|clean up|cleanup|tidy( up)?|deduplicate|declutter|unify|reduce (code )?duplication|make (\w+ ){0,3}?(simpler|cleaner|clearer|more readable|easier to read))\b`)
	// diagnosticsRe: debugging, trace or log output improved ("posix:
	// Some debugging fixes" that name the process in panic messages,
	// "Improved trace message."): messages that say more are new
	// behaviour, a feature; nothing was broken.
	diagnosticsRe = regexp.MustCompile(`(?i)\b(debug(ging)?|trac(e|ing)|logging|diagnostics?) (fixes|improvements|enhancements)\b|\b(improv(e|es|ed|ing)|enhanc(e|es|ed|ing)|better|more (detailed|verbose|informative|useful))\b (the )?(\w+ )?(debug(ging)?|trace|tracing|log(ging)?|diagnostic|error) (messages?|output|info(rmation)?|prints?|logs?)\b`)
	// configOptionRe: a subject that adds a configuration or build option
	// ("x86: Config option for branch prediction barrier on context
	// switch"): a choice users did not have, a feature, whatever the
	// option selects (a barrier is a fix word).
	configOptionRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(add(s|ed|ing)?|introduc(e|es|ed|ing)|new)?\s*(an? |new )?(config(uration)?|kconfig|build|cmake|compile[- ]time) (options?|flags?|settings?|knobs?)\b`)
	// replaceWithRe: a subject that replaces one mechanism with another
	// ("Replace OpenClosure with chains"): the same work done another way,
	// a tidying, unless the message says what went wrong or what is
	// gained (the bounded-write rule reads "Replace sprintf with
	// snprintf" before this).
	replaceWithRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(replac(e|es|ed|ing) [\w:.()<>*-]+( [\w:.()<>*-]+){0,3}? (with|by) |make (\w+ ){1,4}?use [\w:.()<>*-]+ instead of )`)
	// declarationOnlyRe: a subject that adds a declaration and nothing
	// else ("add struct stat decl"): the compiler is told of what exists.
	declarationOnlyRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?add(s|ed|ing)? (a |an |the )?([\w*]+ ){0,3}?(decls?|declarations?|forward declarations?|prototypes?)( (for|of) [\w:*()]+( \w+){0,2})?\s*\.?$`)
	// friendshipRe: a C++ friendship narrowed ("Restrict friendship to
	// template specializations."): access tightened, nothing it does
	// changes; a tidying.
	friendshipRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(restrict|limit|narrow|tighten|reduc)(s|ed|ing|e|es)?\s+(the\s+)?(friendships?|friends?|friend declarations?)\b`)
	// genericFixesRe: a subject that only says changes were made
	// ("assorted fixes:", "misc fixes").
	genericFixesRe = regexp.MustCompile(`(?i)^([\w/.-]+: )?(assorted|various|misc(ellaneous)?|minor|small|some|several|a few) (fix(es)?|changes|tweaks|nits)\s*[:.]?$`)
	// handRevertRe: a revert written by hand ("Revert
	// pthread_attr_setstacksize"), undoing part of an earlier commit: its
	// purpose is the undoing, as a git revert's is; unless what it
	// reverts is named as a tidying.
	handRevertRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?revert(s|ed|ing)?\s+\S`)
	// revertingRe: a subject that says it reverts an earlier change by
	// number ("Add back croutines by reverting PR#590").
	// revertAtEndRe: a subject that ends by saying it reverts ("okay,
	// that was long enough - revert").
	revertAtEndRe = regexp.MustCompile(`(?i)[-:;,]\s*revert(ed|ing)?\.?\s*$`)
	revertingRe   = regexp.MustCompile(`(?i)\bby revert(ing)? (pr|pull request|commit|change)?\s*#?\w*\d\w*`)
	// ciUpdateRe: a subject about continuous integration ("CI-CD
	// Updates"): housekeeping, whatever files it also touches.
	ciUpdateRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )*(ci([-/]cd)?|continuous integration|github actions?|workflows?)\s+(updates?|changes?|tweaks?|fix(es)?)\b`)
	// byDefaultRe: a subject that changes what is on by default ("Don't
	// enable dmar, keyb and serial by default."): a configuration choice.
	byDefaultRe = regexp.MustCompile(`(?i)\b(by default|default(s)? to|the default)\b`)
	// firstImplementationRe: the first implementation of something named
	// ("Initial mbus implementation"), or preliminary or rudimentary work
	// on anything ("SELFOUR-630:preliminary booting application
	// processors"); an import of the whole repository says "Initial
	// import" (initialRe).
	firstImplementationRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(initial|first|basic|preliminary|rudimentary) ([\w-]+ ){0,3}?(implementation|support|driver|server|port)\b|\b(preliminary|rudimentary)\b`)
	// honourRe: a subject saying the code now honours something it
	// ignored ("Honor EPT access permissions in vTLB").
	honourRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(honou?r|respect|obey)(s|ed|ing)?\b`)
	// debugPrintGoneRe: a print or debugging output removed ("riscv:
	// Remove incorrectly formatted printf"): diagnostics dropped, whatever
	// was wrong with them.
	debugPrintGoneRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(remov|delet|drop|prun)(e|es|ed|ing|s|ped|ping)? (\w+ ){0,3}?(printf|printk|prints?|debug(ging)? (output|messages?|prints?|code))\b`)
	// castAddedRe: a cast added ("Add cast in stack allocation for task
	// creation"): a conversion the compiler did implicitly, and wrongly
	// or with a warning, made explicit (MISRA's casts are cleanups, read
	// before this).
	castAddedRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(add(s|ed|ing)? (an? |the )?(missing |explicit |proper )?(type ?)?casts?|explicit(ly)? cast(s|ed|ing)?)\b`)
	// testsNamedRe: a subject that is a kind of test ("one regression test
	// program"), whose "regression" says nothing went wrong; a subject
	// that only mentions one ("… for loop control in unit test") is not.
	testsNamedRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?((add(s|ed|ing)?|one|a|an|new|more|another) )*(regression|unit|stress|smoke) test(s|ing| programs?| cases?| suites?)?\b`)
	// testsAddedRe: tests added, which come as new files (xv6's user
	// programs) and are housekeeping all the same.
	// testNamedRe: a short subject that names a test ("big directory
	// test"): the commit is the test, housekeeping.
	testNamedRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(\w+ ){0,3}tests?$`)
	// nameNotRe: "don't call it ss - that's the stack segment": a
	// name given up for a better one.
	nameNotRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(don'?t|do not|stop) call(ing)? (it|this|that|them) \w+`)
	// fragileRe: code that broke easily ("thor: Rewrite fragile
	// IrqPin::raise() function"): a rewrite that mends.
	fragileRe = regexp.MustCompile(`(?i)\bfragile\b`)
	// fasterPrimitiveRe: a faster primitive taken up for the same work
	// ("gfx/plainfb: Use SSE-based memory copy", "kernel: Use
	// __builtin_{memcpy,memset}").
	fasterPrimitiveRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(use[sd]?|using|switch(es|ed)? to) (an? |the )?((sse\d*|simd|avx\d*|neon|vectori[sz]ed)\b|__builtin_)`)
	// annotationsAddedRe: annotations added ("kernel: Add 'final'
	// annotations", "aarch64/vspace: add performASIDControl
	// annotations"): what the code does is unchanged.
	annotationsAddedRe = regexp.MustCompile(`(?i)\badd(s|ed|ing)? (\S+ ){0,2}?annotations?\b`)
	// avoidedActionRe: an action the code should not take, avoided
	// ("Avoid adding thread without budget to scheduler", "mcs: avoid
	// rolling back time if acted upon"); a performance word (avoid
	// copying, zeroing, flushing) makes it the work saved instead.
	avoidedActionRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?avoid(s|ed)? \w+ing\b`)
	// avoidedWorkRe: what avoidedActionRe avoids that is no fault: work
	// (a performance word) or a style ("avoid hardcoding init as pid 1").
	avoidedWorkRe = regexp.MustCompile(`(?i)\bhard-?cod\w*|` + keywords[1].re.String())
	// cacheMaintenanceRe: caches cleaned or invalidated where memory must
	// be seen ("arm: flush cache to RAM on retype reset"): stale data was
	// read. Less of it ("avoid flushing the cache", "lazy flush") is
	// lessMaintenanceRe, work saved.
	cacheMaintenanceRe = regexp.MustCompile(`(?i)\b(flush|clean|invalidat|sync)(e|es|ed|ing|s)? (the )?(\w+ )?(d-?|i-?|data |instruction )?caches?\b`)
	lessMaintenanceRe  = regexp.MustCompile(`(?i)\b(avoid|skip|don'?t|do not|no longer|without|less|fewer|lazy|lazily|batch|defer)\w*\b`)
	// logOnFailureRe: a failure reported better ("thor: Log server name on
	// userspace panic"): output the kernel did not give, no failure
	// mended.
	logOnFailureRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(log|print|report|show|dump|display)(s|ed|ing)? (\w+ ){1,4}?(on|when|at|upon|after) (\w+ )?(panics?|crash(es)?|faults?|errors?|failures?|oops(es)?|exceptions?)\b`)
	// newVersionTakenUpRe: a dependency's new version taken up ("Update to
	// new cofiber version"): the kernel's code follows another's changes.
	newVersionTakenUpRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(update|updates|updated|updating|port|ported|move|moved|switch|switched) (to|for) (the )?(new|newer|newest|latest|current) (\S+ ){0,2}?(versions?|releases?|revisions?)\b`)
	// documentationRe: what a first implementation may be of that is no
	// code ("hel: Initial documentation support").
	documentationRe = regexp.MustCompile(`(?i)\b(documentation|docs?|doxygen|comments?|manual)\b`)
	// clarityRe: code made clearer ("frigg: Small printf() TODO clarity
	// improvement"): the same behaviour, easier to read.
	clarityRe = regexp.MustCompile(`(?i)\b(clarity|readability|legibility) (improvements?|tweaks?|changes?)\b|\bimprov(e|es|ed|ing) (the )?(clarity|readability|legibility)\b`)
	// resourceReleasedRe: a resource let go after use ("Close hel
	// descriptors after using them"): before, each use leaked one.
	resourceReleasedRe = regexp.MustCompile(`(?i)\b(close|free|release|unmap|unref|put|drop|delete|destroy)(s|d|ed|ing)? (\w+ ){0,2}?(descriptors?|handles?|fds?|files?|memory|pages?|buffers?|references?|refs?|objects?|mappings?|lanes?|sockets?) (after|when|once) (using|use|used|done|finished)\b`)
	// generatedTakenUpRe: hand-written definitions given up for generated
	// ones ("ARM platforms: use auto-generated kernel_devices").
	generatedTakenUpRe = regexp.MustCompile(`(?i)\b(use[sd]?|using|switch(es|ed)? to) (the )?(auto-?generated|generated)\b`)
	// lockTakenRe: a lock added where code ran without it ("arm: Add
	// NODE_LOCK_SYS for VCPU fault entry."): a race mended.
	lockTakenRe = regexp.MustCompile(`(?i)\b(add(s|ed|ing)?|take(s|n)?|acquire(s|d)?|hold(s|ing)?) (a |the |missing |an? extra )?(\w+_)?(lock|locks|locking|mutex|spinlock)(_\w+)? (for|to|in|around|on|when|during|while)\b`)
	// readabilityAimRe: a message whose stated aim is readability ("Add
	// taskYIELD_WITHIN_API macro for readability improvement"): what it
	// adds tidies.
	readabilityAimRe = regexp.MustCompile(`(?i)\b(for (better |improved )?readability|better (\w+ ){0,3}?readability|readability improvements?|to improve (the )?readability|to make (\w+ ){0,3}?(more readable|easier to read))\b`)
	// printsNowRe: a function that prints, shows or reports something
	// ("vTaskListTasks prints core affinity mask"): output it did not
	// give, a feature.
	printsNowRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?[\w:.()]+ (now |also )?(prints|shows|displays|reports|logs|dumps) \w+`)
	// clobberAddedRe: an asm statement's clobber added ("Add memory
	// clobber to hel asm statements"): the compiler was free to reorder
	// or cache across it, a fix.
	clobberAddedRe = regexp.MustCompile(`(?i)\badd(s|ed|ing)? (a |the |missing )?("?memory"? |"?cc"? )?clobbers?\b`)
	// portAdaptRe: an architecture's area adapting or porting something
	// ("ARM: Adapt compiler.hpp."): work of a port to it, a feature.
	portAdaptRe = regexp.MustCompile(`(?i)^(arm|arm64|aarch32|aarch64|armv[78]\w*|x86|x86_64|x64|amd64|ia32|i386|riscv|risc-v|rv32|rv64|mips|ppc|powerpc|sparc|arc|xtensa): (adapt(ed|s)?|port(ed|s)?)\b`)
	// nowUsesRe: "wdir now uses readi/writei": a function moved onto an
	// existing facility, a migration.
	nowUsesRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?[\w:.()]+ now uses? \S+`)
	// testThatRe: a subject that is a test's description ("test that
	// fork fails gracefully"): the commit is the test.
	testThatRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?tests? (that|whether|if|for|of) `)
	// assumptionGoneRe: "Remove assumption on 32-bit memory offsets": the
	// code assumed what did not always hold.
	assumptionGoneRe = regexp.MustCompile(`(?i)\b(remov(e|es|ed|ing)|drop(s|ped|ping)?|lift(s|ed|ing)?) (the |an |this |that )?(\w+ )?assumptions?\b`)
	// onlyWhenNeededRe: "statedata: only define tlbLockCount when needed":
	// a definition compiled only where it is used, a tidying.
	// onlyWhenNeededWorkRe: work at run time done only when needed ("Only
	// add alignment padding when needed"): the same result with less
	// work or memory.
	// eagerMapRe: pages mapped ahead of their first touch ("thor: Map
	// pages eagerly in touchVirtualPage()", "Eagerly map pages from
	// CowMapping root view"): the page faults spared, a speed-up.
	// fastpathAddedRe: a fast path implemented or added ("Implemented
	// signal fastpath on AARCH64"): a speed-up for a case that was slow.
	fastpathAddedRe      = regexp.MustCompile(`(?i)\b(implement|add)(s|ed|ing)? (\w+ ){0,3}?fast ?paths?\b`)
	eagerMapRe           = regexp.MustCompile(`(?i)\b(eager(ly)? map(s|ped|ping)?|map(s|ped|ping)? (\w+ ){0,2}?eagerly)\b`)
	onlyWhenNeededWorkRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?only (add|allocat|zero|clear|flush|copy|copie|comput|recomput|updat|send|writ|read|reload|sav|restor|sync|invalidat)(e|es|s|ed|ing)? (\S+ ){0,3}?(when|if|where) (it is |they are |it's )?(needed|necessary|required)\b`)
	onlyWhenNeededRe     = regexp.MustCompile(`(?i)\bonly (define|declare|compile|build|include|instantiate)s? (\S+ ){1,3}?(when|if|where) (it is |they are )?(needed|used|required|necessary|enabled)\b`)
	// namedValueRe: a subject that only adds a named constant or macro
	// ("add DPL_USER constant", "Add taskYIELD_WITHIN_API macro"): a name
	// for a value or an idiom the code spelled out, a tidying ("more
	// named constants", "Add macro taskTASK_IS_RUNNING_OR_SCHEDULED_TO_YIELD",
	// "arm: add LD_EX, ST_EX, OP_WIDTH macros for ARM" too).
	namedValueRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?add(s|ed|ing)? (a |an |the |new )?\S+ (constants?|macros?|defines?)( \(#\d+\))?\.?$|^([\w/.,-]+: )?add(s|ed|ing)? (a |the |new )?(constant|macro|define) \w+( \(#\d+\))?\.?$|^([\w/.,-]+: )?add(s|ed|ing)? (?-i:([A-Z][A-Z0-9_]*, )+(and )?[A-Z][A-Z0-9_]*) (constants|macros|defines)( for [\w-]+)?( \(#\d+\))?\.?$|^([\w/.,-]+: )?(add|introduc)(e|es|ed|ing|s)? (a |an |the |new )?(named )?(constants?|macros?|defines?) for (a |an |the )?[\w ]+\.?$|^([\w/.,-]+: )?(more |some )?named (constants?|macros?|values?)\.?$`)
	// checkAddedRe: "Add runtime parameter checks", "Add sanity check
	// panic for CRTC interactions", "add alignment check of virtual
	// address to exec()": a validation the code lacked, a hole
	// closed (the corpus's "add a duplicate check to factory_check"
	// extends a checker, a feature).
	checkAddedRe = regexp.MustCompile(`(?i)\badd(s|ed|ing)? (\w+ ){0,2}?(runtime|parameter|argument|sanity|bounds?|null|range|input|error|overflow|validity|alignment|size|length|wrap(ping|around)?) checks?\b`)
	// finishRe: "posix/subsystem: Finish args and env. handling": work on
	// something new completed.
	finishRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )*(finish|complet)(e|es|ed|ing)? \w+`)
	// codeSizeCostRe: a message that names space as what the removed
	// thing cost ("those constant pools are defined with `.align 4` which
	// increases code size").
	codeSizeCostRe = regexp.MustCompile(`(?i)\b(increas(e|es|ed|ing)|bloat(s|ed|ing)?|wast(e|es|ed|ing)) (the )?(code|binary|image|flash|rom|ram|memory|stack) (size|footprint|space|usage)\b`)
	// capAddedRe: a cap, limit or bound added to something ("Add a cap to
	// the queue locks", whose message names the overflow it prevents).
	capAddedRe = regexp.MustCompile(`(?i)\badd(s|ed|ing)? (a |an )?(cap|limit|upper bound|bound|ceiling) (to|on|for)\b`)
	// nameChangedRe: a rename spelled out ("Modify the name of a private
	// function to reflect what it actually does").
	nameChangedRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(modif(y|ies|ied|ying)|chang(e|es|ed|ing)|updat(e|es|ed|ing)) (the )?names? of\b`)
	// neverUsedGoneRe: what never ran, never was emitted or used, removed
	// ("arm,riscv boot.c: remove never-emitted padding").
	neverUsedGoneRe = regexp.MustCompile(`(?i)\b(remov|delet|drop)\w* (the )?(\w+ )?never[- ](used|emitted|called|reached|executed|run|taken|compiled|built|set|read|referenced)\b`)
	// likeOthersRe: something made to work like its siblings ("use
	// ftable like btable and itable"): consistency.
	likeOthersRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(use|make|treat|handle|name|manage)s? (the )?\w+ (just |exactly )?like (the )?\w+( and (the )?\w+)?( do(es)?)?\s*\.?$`)
	// forToolsRe: a change made for a checking tool ("Add Noreturn
	// attribute in template port for static analysis"): the kernel's
	// behaviour is not its point.
	forToolsRe = regexp.MustCompile(`(?i)\bfor (the )?(static[- ]analy(sis|zers?|sers?)|coverity|misra( compliance)?|cppcheck|clang[- ]tidy|linters?|linting)\b|\bto (pass|satisfy|please) (the )?c-?parser\b`)
	// toolAppliedRe: a change a source tool made ("thor: Fix nullptr usage
	// using clang-tidy", "clang-tidy: Apply auto fixes to use nullptr"):
	// whatever it calls a fix, the edit is mechanical, a tidying. A tool
	// that found a bug ("found by Coverity") is not one.
	toolAppliedRe = regexp.MustCompile(`(?i)\b(using|with|via|by running|ran|run) (the )?(clang[- ]tidy|clang[- ]format|cppcheck|codespell|coccinelle|include[- ]what[- ]you[- ]use|iwyu|linters?)\b|^(clang[- ]tidy|clang[- ]format|cppcheck|codespell|coccinelle|iwyu): |\bappl(y|ies|ied|ying) (\w+ )?(auto(matic|mated)?[- ])fix(es|-its)?\b`)
	// idiomaticRe: code made idiomatic ("more idiomatic c", "remove
	// non-idiomatic increment/decrement") or written in a named idiom
	// ("Use copy-and-swap in helx"): style.
	idiomaticRe = regexp.MustCompile(`(?i)\b(more |less |non-?)?idiomatic\b|\b(copy[- ]and[- ]swap|raii|pimpl|crtp|rule of (three|five|zero))\b`)
	// buildToolRe: the build taking up a tool ("Use pkg-config for
	// dependencies"): how the kernel is built, not what it does.
	buildToolRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(use|switch(es|ed)? to|mov(e|es|ed) to|migrat(e|es|ed) to)s? (\w+ )?(pkg-config|meson|cmake|autotools|autoconf|bazel|scons)\b`)
	// anotherAttemptRe: another try at something ("another attempt at
	// cpu-local variables."): the earlier one did not work; at a comment
	// or the docs ("Another attempt at the bio.c comment."), a rewording.
	anotherAttemptRe = regexp.MustCompile(`(?i)\b(another|a second|a third|one more) (attempt|try|stab) at\b`)
	attemptAtWordsRe = regexp.MustCompile(`(?i)\b(another|a second|a third|one more) (attempt|try|stab) at (the |a )?(\S+ )?(comments?|docs?|documentation|wording|explanation|description)\b`)
	// testTriggersRe: a test changed to provoke something ("Update
	// stressfs to trigger race now the logging code serializes writes"):
	// the fault word names what the test looks for.
	testTriggersRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(updat|chang|modif|tweak|adjust|mak)(e|es|ed|ing|ies|ied|y) \S+ to (trigger|provoke|exercise|reproduce)\b`)
	// restoredRe: something removed before added again ("Add removed
	// unprivileged access check to ..."): its removal was the mistake.
	restoredRe = regexp.MustCompile(`(?i)\b(add|put|bring)(s|ed|ing)? (back )?(the )?(previously |wrongly |accidentally )?removed\b|\bre-?add(s|ed|ing)? (the )?(removed|missing|lost|dropped)\b`)
	// edgeAllowedRe: an edge case allowed ("thor: Allow zero-sized
	// managed memory"): the code refused what it should take.
	edgeAllowedRe = regexp.MustCompile(`(?i)\b(allow|accept|support|handle|permit)(s|ed|ing)? (zero|empty|null|nul|0)[- ](sized?|length|lengths|byte|bytes|count|capacity)\b`)
	// notSupportedRe: a statement that something is not supported
	// ("riscv32 does not support huge pages"): a limitation enforced where
	// it was assumed away.
	notSupportedRe = regexp.MustCompile(`(?i)\b(does not|doesn'?t|do not|don'?t|cannot|can'?t) support\b`)
	// interfaceUpdateRe: code brought to an interface that changed
	// ("drivers/kbd: Update async::queue interface"), a new interface
	// taken up ("posix: Support new poll API for devices") or code updated
	// after another library's changes ("drivers/nvme: Update after
	// async::make_result changes", "thor: Adapt to frigg rcu_radixtree
	// changes"): adapting, a cleanup.
	interfaceUpdateRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?((update|updates|updated|updating|adapt|adapts|adapted|adapting) ((to )?(the )?(new )?\S+ (interface|api|mechanism)|(after|to|for) (the )?[\w:./-]+( [\w:./-]+)? (changes?|update))|(support|adopt|use)(s|ed)? (the )?new \S+ (interface|api|mechanism)( for [\w ]+)?)\s*\.?$`)
	// branchHintRe: a branch marked likely or unlikely ("trivial: Add
	// unlikely"), for the compiler's code layout: perf, whatever the prefix.
	branchHintRe = regexp.MustCompile(`(?i)\b(add(s|ed|ing)?|us(e|es|ed|ing)) (an? )?(un)?likely\b`)
	// misconfigurationRe: configuration errors detected ("Detect more
	// startup config errors on Cortex M"), as compile-time checks do.
	misconfigurationRe = regexp.MustCompile(`(?i)\bdetect(s|ed|ing)? (more |additional )?(\w+ )?(config(uration)?|misconfiguration|setup) (errors?|mistakes?)\b`)
	// repeatedCallRe: something done more than once handled ("when a
	// handle is added multiple times").
	repeatedCallRe = regexp.MustCompile(`(?i)\b(added|registered|called|inserted|given|initiali[sz]ed) (multiple times|twice|more than once)\b`)
	// barrierAddedRe: a barrier or fence put into a place ("Add extra DSB
	// to seL4_ARM_Page_Unify_Instruction", "riscv: Add missing sfence on PT
	// map"): the hardware could reorder what the code relies on. A barrier
	// class added ("ARM: Added barriers.") names no place and is new code.
	barrierAddedRe = regexp.MustCompile(`(?i)\b(add(s|ed|ing)?|insert(s|ed|ing)?|put(s|ting)?)\s+(an? |the )?((extra|additional|another|missing|explicit|necessary|required|proper) )?(dsb|dmb|isb|sfence(\.vma)?|mfence|lfence|fence\.i|((memory|compiler|instruction|data|cache) )?barriers?|fences?)( \w+)?\s+(to|in|into|after|before|on|for|between|around)\b`)
	// compilerPortRe: code adjusted for another compiler ("Treat optimize
	// attribute as gcc specific", "libsel4: adjust asm immediate syntax for
	// clang"): the build with it was broken.
	compilerPortRe = regexp.MustCompile(`(?i)\b(adjust|adapt|treat|guard|restrict|limit)(s|ed|ing)?\b.*\b(for|as|to|with)\s+(clang|gcc|icc|msvc|iar|armcc|llvm)([- ](specific|only))?\b`)
	// languageFeatureRe: a language's feature taken up ("Use nullptr keyword
	// of C++11."), or a name given another of the language's forms ("arm:
	// Use #define for tcbArchCNodeEntries", an enumerator made a macro): a
	// modernization, the same value spelled otherwise.
	languageFeatureRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(use[sd]?|using) (the )?\w+ keyword\b|\b(of|from|with) C\+\+ ?\d\d\b|^([\w/.,-]+: )?(use[sd]?|using) (an? )?(#define|macro|enum|enumerator|constexpr|typedef|static const|const variable)s? (for|to define|to declare|instead of) `)
	// addedClauseRe: a later clause of the subject adds something ("clean
	// up Makefile; add wc"): the cleanup is not all the commit does.
	// Or replaces what it took out with a new means ("Remove redundant
	// IRQInterruptControl invocation, and replace with a mechanism to
	// actually decode …").
	addedClauseRe = regexp.MustCompile(`(?i)[;,] (and )?(add(s|ed)? \w|replac(e|es|ed|ing) (it |them )?with (an? )?(new )?(mechanism|means|way|interface|api)\b)`)
	// fixClauseRe: a purpose clause that mends ("Rename mistake usage of
	// x86->ia32 to fix build errors"): the cleanup is how, not why.
	// A later clause that does something correctly ("thor/arm: clean up
	// and refactor GIC a bit, correctly detect iface numbers") mends too.
	fixClauseRe = regexp.MustCompile(`(?i)\b(in order )?to (fix|correct|repair|resolve|unbreak)\b|\bso( that)? [\w ]+ (builds?|compiles?|links?|boots?)\b|[;,] (and )?(correctly|properly) \w+`)
	// compileTimeCheckRe: checks the compiler makes added or taken up ("add
	// compile time checks about sizes", "Use static assert instead of
	// _LP64"): a safeguard against a configuration that breaks the kernel.
	// A configuration made a build error ("Make
	// configSUPPORT_STATIC_ALLOCATION==1 an error for MPU ports") is one
	// too.
	compileTimeCheckRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?((add(s|ed|ing)?|use[sd]?|using) .{0,20}\b(compile[- ]time (checks?|asserts?|assertions?)|static[_ ]asserts?|compile_asserts?)|make[sd]? (\S+ ){1,3}?an? (compile[- ]time |build |hard )?error)\b`)
	// longLinesRe: lines shortened for a listing or a style checker ("Fix
	// a few lines that runoff is complaining about that they are too
	// long"): formatting, whatever the subject's fix.
	longLinesRe = regexp.MustCompile(`(?i)\blines? (\S+ ){0,8}?(are |is )?too long\b|\b(long|overlong) lines\b`)
	// savedRegistersRe: registers a switch saves ("add the configuration
	// and status registers to the fpu saved context", "swtch saves
	// callee-saved registers"): state that was lost across a switch.
	savedRegistersRe = regexp.MustCompile(`(?i)\b(sav(e|es|ed|ing)|preserv(e|es|ed|ing))\b[^.]{0,40}\bregisters\b|\badd(s|ed|ing)?\b[^.]{0,60}\bregisters?\b[^.]{0,20}\bto (the )?([\w-]+ ){0,2}(saved |switched )?(context|frame)\b`)
	// requestedRe: a subject that leads with making something faster or
	// implementing it ("thor: Optimize insertion into WQ of current
	// thread", "Implement absolute inputs", "posix: Add basic support for
	// inotify on tmpfs", "block/ata: Support writes"): the tracker issue
	// it closes asked for that, not for a fix.
	requestedRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(optimi[sz](e|es|ed|ing)|speed(s|ed)? up|implement(s|ed|ing)?|add(s|ed|ing)? (basic |initial |partial |preliminary )?support|support(s|ed|ing)?\s+\w+)\b`)
	// representationRe: something kept or passed in another form or
	// place ("Store space pointer instead of PD pointer in MDB nodes",
	// "Transmit initial stack pointer in ESP instead of ECX"): the same
	// state, represented otherwise.
	representationRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(stor(e|es|ed|ing)|keep(s|ing)?|kept|hold(s|ing)?|transmit(s|ted|ting)?|pass(es|ed|ing)?) .{1,50}\binstead of\b`)
	// noFunctionalChangeRe: a subject that says the code does the same
	// ("No functional changes. (#194)"), whatever small edit the diff
	// makes to a body.
	noFunctionalChangeRe = regexp.MustCompile(`(?i)\b(no (functional|behaviou?r(al)?|logic(al)?) changes?|NFCI?)\b`)
	// optimizedBuildRe: code built with the compiler's optimizer ("rtdl:
	// Compile with -O2", "ATA: Use rep insw; compile with -O2"): faster
	// code, nothing fixed.
	optimizedBuildRe = regexp.MustCompile(`(?i)(^([\w/.,-]+: )?|[;,] |\band )(compil|build)(e|es|ed|ing|s)? (\w+ )?with -O[1-3s]\b`)
	// typeUsedRe: a typedef'd type taken up for a variable or argument
	// ("x86: Use irq_t for irq syscall argument", "Use UBaseType_t for
	// ullMachineTimerCompareRegisterBase"): the declared type named as
	// the code names it.
	typeUsedRe = regexp.MustCompile("(?i)^([\\w/.,-]+: )?use `?[A-Za-z]\\w*_t`? (type )?for\\b")
	// useInRe: something the code has used in a place, or in place of
	// another ("mcs: use sc_active in isSchedulable", "riscv: Use strnlen
	// over strlen", "armv7/hyp: use break in vcpu_hw_write_reg"): the
	// code written with what it has, whatever small body edit it takes.
	useInRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?use [\w:]+ (in|over) \S`)
	// trivialPrintRe: a "trivial:" change that prints something new
	// ("trivial: print kernel entry reason on halt"): small, but output
	// the kernel did not give.
	// reportedFailureRe: a subject that prints a message when something
	// fails, or reports it more accurately ("Print error message on failed
	// VM entry.", "thor: Report out-of-kernel-VM more accurately"): the
	// failure is what the new output tells of, not what the commit mends.
	reportedFailureRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(print|report|log|display|show|dump|emit|output|warn)(s|ed|ing)? ((an? |the )?(error|warning|diagnostic|debug(ging)?|panic|informative)? ?(messages?|warnings?|diagnostics?|info(rmation)?) (on|when|for|if|upon|after|in case of)\b|.{1,60}\bmore (accurately|precisely|clearly|informatively)\b)`)
	// removedMechanismRe: a subject that takes out a performance
	// mechanism ("drivers/libblockfs: Rm. userspace-based block cache"):
	// its cache or hash names what goes, not a speed-up.
	removedMechanismRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(rm\.?|remov(e|es|ed|ing)|delet(e|es|ed|ing)|drop(s|ped)?|kill(s|ed)?)\s+(the\s+)?([\w-]+\s+){0,3}?(cach(e|es|ing)|hash(ing)?|fast[- ]?paths?|batch(ing)?)\b`)
	// doneAlreadyRe: a subject that skips work when it was done already
	// ("Don't suspend scheduler if task already notified"): the same
	// outcome with less work, a performance change.
	doneAlreadyRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(don'?t|do not|no longer|avoid|skip)\s+(\w+\s+){1,4}?(if|when|once|unless)\s+(\w+\s+){0,4}?already\b`)
	// stylePoliceRe: "tab police", "style police": the code made to follow
	// its style.
	stylePoliceRe = regexp.MustCompile(`(?i)\b(tabs?|style|whitespace|format(ting)?|indent(ation)?|lint|naming|spelling|typo) police\b`)
	// movedOutRe: work moved out of a critical section, a lock or a loop
	// ("Move size calculation out of critical section"): the same work,
	// done where it holds nothing up.
	movedOutRe = regexp.MustCompile(`(?i)\b(mov(e|es|ed|ing)|hoist(s|ed|ing)?|pull(s|ed|ing)?|tak(e|es|en|ing))\b.*\bout of (the |a |an )?(critical (section|region)|lock(ed)?( region| section)?|spin ?lock|mutex|loops?|hot path|fast ?path|interrupt (handler|context)|isr|scheduler lock)\b`)
	// preprocessorGuardsRe: code put behind #if guards ("SELFOUR-1062:
	// Hide all IOMMU related code behind #ifdef guards", "AArch32: Add
	// __ASSEMBLER__ preprocessor guards for kernelBase"): the same code,
	// seen by fewer configurations or languages. Guards a commit says were
	// missing are fixes (asked without a fault word).
	preprocessorGuardsRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(hide|hides|hid|hiding|add|adds|added|adding|put|puts|wrap|wraps|wrapped)\b.*\b(#?ifn?def|#if|pre-?processor|__\w+__)( pre-?processor)? guards?\b`)
	// abstractionAddedRe: a class, helper or accessor added ("x86: Added
	// Cache class.", "thor: Add public getMapping() method",
	// "risc-v: add SBI remote hart mask helper function").
	abstractionAddedRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?add(s|ed)? (an? |the |some |new )?(public |private |static |inline )?([\w:<>()'-]+ ){0,4}?(class|helpers?( functions?)?|abstraction|wrappers?|accessors?( functions?)?|inlines|method|utility( functions?)?)\b`)
	// standardFacilityRe: the kernel's own facility replaced by a standard
	// one ("Replace frigg \"ASSERT\" by standard \"assert\""): the same
	// checks through another spelling.
	standardFacilityRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?replac(e|es|ed|ing) .{1,60}? (by|with) (the )?(standard|std|stl|libc|builtin|generic|common|existing) `)
	// performanceFixRe: a fix of speed ("hel: Hackish performance fix").
	performanceFixRe = regexp.MustCompile(`(?i)\b(performance|perf|speed) fix(es)?\b`)
	// indirectionRe: a layer of indirection or abstraction put in
	// ("libsel4: Provide a layer of indirection around types.bf ... to
	// allow for 64-bit variants"): code reshaped for what comes next.
	indirectionRe = regexp.MustCompile(`(?i)\b(add|adds|added|provide|provides|provided|introduce|introduces|introduced) (a |an |another )?(thin )?(layer|level) of (indirection|abstraction)\b`)
	// fastPathCasesRe: the fast path taken more often ("Query scheduler in
	// fastpath to increase fastpath cases").
	fastPathCasesRe = regexp.MustCompile(`(?i)\b(increase|increases|increased|more|extend|extends|extended|widen|widens|widened) (the )?(fast ?path|cache[- ]hit) (cases|hits|coverage|rate)\b`)
	// forgottenRe: something a commit says was left out before.
	forgottenRe = regexp.MustCompile(`(?i)\b(missing|missed|forgotten|forgot|lacking)\b`)
	// signatureChangeRe: a function's signature changed and nothing said
	// to have gone wrong ("Change Hashmap::get() signature"): the callers
	// follow the interface; a reshaping.
	signatureChangeRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(change|changes|changed|changing|rework|reworks|reworked) (the )?([\w:()<>~]+('s)? (signatures?|prototypes?)|(signatures?|prototypes?) of [\w:()<>~]+)\s*\.?$`)
	// asyncConversionRe: code made asynchronous ("Posix subsystem: Make
	// file io async", "thor: Turn VirtualSpace::protect() into coro",
	// "Let AddressSpace::unmap() return coroutine<>"): the same work in
	// the style the kernel moved to, a cleanup (managarm's switches to
	// C++20 coroutines are).
	// Or given an asynchronous implementation ("thor: Provide a truly
	// async handleFault() impl.").
	asyncConversionRe = regexp.MustCompile(`(?i)^([^:]{1,40}: )*((make|makes|made|turn|turns|turned|convert|converts|converted|let|lets)\b.*\b(async|asynchronous|coro|coros|coroutines?(<>)?)|(provide|provides|provided|write|writes|wrote) (an? )?(truly |fully |properly |really )?(async|asynchronous|coroutine) \S+ (impl|implementation)s?)\.?$`)
	// orderNeededRe: a body that says when something must be done
	// ("The check ... needs to be done after the final size ... is
	// calculated"): code moved to where it must run was in the wrong
	// place.
	orderNeededRe = regexp.MustCompile(`(?i)\b(must|needs?\s+to|has\s+to|have\s+to|should)(\s+only)?\s+(be\s+)?(done|called|checked|performed|made|computed|calculated|set|run|happen|initiali[sz]ed|executed)(\s+only)?\s+(after|before|once|until)\b`)
	// forProofsRe: a body that says the change is for the verification
	// ("Verification requires ghost state updates for the typed heap",
	// "verification assumes consistent alignment for all TCBs"): seL4's
	// proofs need it, the kernel does what it did.
	forProofsRe = regexp.MustCompile(`(?i)\bverification (assumes|requires|needs|expects)\b|\b(break|breaks|breaking|impact|impacts|affect|affects) (the )?(verification|proofs?)\b|\b(for|by) (the )?(verification|proofs?)\b|\bproofs? (assume|require|need|expect)s?\b`)
	// improvementsRe: a subject whose head noun is improvements
	// ("Heap improvements", "epoll enhancements", "MPU Enhancements"):
	// the component does more, unless a word of the subject says what
	// was wrong or tidied.
	improvementsRe = regexp.MustCompile(`(?i)\b(improvements|enhancements?)\b`)
	// newInterfaceRe: a body that lists a new interface among what the
	// commit does ("3. Add a new API pvPortCalloc", "Add a new flag
	// configHEAP_CLEAR_MEMORY_ON_FREE").
	newInterfaceRe = regexp.MustCompile(`(?i)\badd(s|ed|ing)? (a |an )?new (apis?|flags?|options?|functions?|config\w*|macros?|settings?|system calls?|syscalls?)\b`)
	// rmOpensClauseRe is what precedes "rm" the verb, which opens its
	// clause ("Rm sendString() overloads", "Implement idle thread; rm
	// broken ..."); after other words it names the program ("user-level
	// programs: mkdir and rm").
	rmOpensClauseRe = regexp.MustCompile(`(^|[:;.!]\s+)$`)
	// warningMendRe: words that mend compiler warnings, and only those.
	warningMendRe  = regexp.MustCompile(`(?i)\b(fix(es|ed|ing)?|resolv(e|es|ed|ing)|silenc(e|es|ed|ing)|suppress(es|ed|ing)?|avoid(s|ed|ing)?|prevent(s|ed|ing)?|remov(e|es|ed|ing))\b[^.]{0,60}?\bwarnings?\b`)
	trivialPrintRe = regexp.MustCompile(`(?i)^\s*(print|log|show|dump|report)(s|ed|ing)? `)
	// clauseVerbRe is a subordinate clause's opening word: a cleanup verb
	// right after it says when something happens ("Dissociate VCPU when
	// deleting a thread"), not what the commit tidies.
	clauseVerbRe = regexp.MustCompile(`(?i)\b(when|while|after|before|on|upon|during)\s+$`)
	// onByDefaultRe: something that existed made the default ("thor:
	// Enable SMP by default"): a capability users now get, even when the
	// message closes a tracker issue asking for it.
	onByDefaultRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?enabl(e|es|ed|ing) .{1,40} by default\b`)
	// bracesAddedRe: braces or brackets added around a body ("add
	// brackets for if-body"), the coding style's.
	bracesAddedRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?add(s|ed|ing)? (missing |more |some )?(curly )?(brackets|braces)\b`)
	// namedConstantRe: a named constant used for a number the code spelled
	// otherwise ("am335x: use KERNEL_TIMER_IRQ for timer IRQ number"). The
	// name is matched with its case: an upper-case macro name.
	namedConstantRe = regexp.MustCompile(`^([\w/.,-]+: )?(?i:use[sd]?|using) [A-Z][A-Z0-9]*_[A-Z0-9_]+ (?i:for)\b`)
	// followUpRe: a subject that continues the commit before it ("and the
	// file"): what that commit left out, without which it did not build.
	followUpRe = regexp.MustCompile(`(?i)^and (the |a |an |also )?\S+( \S+)?\s*\.?$`)
	// dumpToRe: data dumped or exported somewhere ("thor: Dump profile to
	// I/O channel"): a new output.
	dumpToRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(dump|export)(s|ed|ing)? (the )?(\w+ ){1,3}(to|into|over|via) \w+`)
	// specializedRe: a specialized implementation of something for one
	// case ("thor: Add specialized futex impl. for ImmediateMemory"): a
	// fast path, whatever the verb.
	specializedRe = regexp.MustCompile(`(?i)\bspeciali[sz]ed (\w+ ){0,2}?(impl(ementation)?s?|versions?|paths?|variants?|code)\.? for\b`)
	// debuggingAidRe: something kept or shown so that debugging is easier
	// ("save process name for debugging", as xv6's "set init name"): a
	// debugging aid.
	debuggingAidRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(also )?((sav|record|keep|track|remember|stor|print|show|display|dump|expos)(e|es|ed|ing|s)? .*\bfor (easier |better )?debugging\b|(print|log|emit|show)(s|ed|ing)? (a |the )?(trace|debug|debugging) (message|output|line)s?\b)`)
	// activeModeRe: a value now computed according to the processor's
	// or the system's actual state ("Compute linear guest IP according
	// to the active processor mode."): it was computed without it.
	activeModeRe = regexp.MustCompile(`(?i)\b(according to|depending on|based on) the (active|current|actual|real|effective) (\w+ )?(mode|state|size|width|configuration)\b`)
	testsAddedRe = regexp.MustCompile(`(?i)\badd(s|ed|ing)? (\w+ ){0,2}(tests?|test cases?|testcases?)\b`)
	// checkpointRe: a development checkpoint ("checkpoint. booting second
	// processor."): work in progress on something new.
	checkpointRe = regexp.MustCompile(`(?i)^(checkpoint|wip|work in progress)\b`)
	// beClearRe: a change made so the code says what it means ("be clear
	// what the root i-number is").
	beClearRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(be |make (it |this |things )?)(more )?clear(er)?\b`)
	// disallowRe: a subject that forbids something ("Disallow
	// unprivileged critical sections with MPU wrappers v2"): a hole
	// closed, as a restriction to a condition is (restrictRe).
	disallowRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )*(disallow|forbid|prohibit|reject|refuse|deny)(s|ed|ding|ing|den)?\b`)
	// trackRe: a subject that starts keeping a record of something
	// ("usb/xhci: Keep track of max packet size for every endpoint",
	// "Benchmark: Track thread's CPU utilisation time"): state the
	// kernel did not keep, something new.
	trackRe = regexp.MustCompile(`(?i)^([\w/.,-]+( [\w/.,-]+)?: )*(keep(s|ing)? track of|track(s|ed|ing)?|record(s|ed|ing)?|stor(e|es|ed|ing))\b`)
	// changeCodeToRe: "change A to B" where A and B are code (a member,
	// a flag test, a call: "change ip->flags&I_VALID to ip->valid",
	// "Change vTickISR() to vPortTickISR() in the MSP430X IAR port
	// layer."): one spelling of the same thing for another.
	changeCodeToRe = regexp.MustCompile(`(?i)^([\w/.,-]+: )*chang(e|es|ed|ing) (\S*([_>&:]|\(\)|\.\w)\S*|[a-z]+[A-Z]\w*)(, \S+)* to (\S*[A-Za-z_]\S*)( (in|for) [^.]*)?\.?$`)
	// mechanismRe: the weaker fix words that name a mechanism one may
	// add as new code (a barrier class, a guard object).
	mechanismRe = regexp.MustCompile(`(?i)(barriers?|guard(s|ed|ing)?)$`)
	// useLeadRe: a subject that starts with "use", after an area or a
	// tracker's id and an area ("SELFOUR-365: libsel4: Use compile time
	// offsets instead of hard coding offsets").
	useLeadRe = regexp.MustCompile(`(?i)^([\w/.,-]+: ){0,2}(use[sd]?|using)\b`)
	// useCallRe: "Use when_all() to wait …", "Use async sendStringReq()
	// calls", "Use frigg::CallbackPtr in helx": an existing facility named
	// as a call or by its namespace.
	useCallRe  = regexp.MustCompile(`(?i)^([\w/.,-]+: )?(use[sd]?|using) ((\w+ ){0,2}[\w:]+\(\)|\w+::[\w:]+|(?-i:[a-z]+[A-Z][A-Za-z0-9]*)\b|[\w/.-]+\.h(pp)?\b)`)
	replacesRe = regexp.MustCompile(`(?i)\b(instead of|over|rather than|in favou?r of|in place of)\b`)
	// importLikeRe: a subject that starts a repository ("Initial kernel");
	// a subsystem's start has its prefix ("ARM: Initial functionality.").
	importLikeRe = regexp.MustCompile(`(?i)^initial\b`)
	initialRe    = regexp.MustCompile(`(?i)^(initial (import|commit|version|revision)|import)\b`)
	// faultyCodeRe follows a fault word that describes code rather than
	// behaviour ("incorrect) definitions", "broken code").
	faultyCodeRe = regexp.MustCompile(`^\)?\s+(code|definitions?|declarations?|copies|duplicates|leftovers)\b`)
	strongFixRe  = regexp.MustCompile(`(?i)\b(wrong(ly)?|incorrect(ly)?|bugs?|crash(es|ed|ing)?|leak(s|ed|ing)?|rac(e|es|y)|(dead|live)locks?|overflows?|corrupt\w*|broken|bogus|unexpected(ly)?|caus(e|es|ed|ing) (\w+ )?(errors?|failures?|problems?|faults?|hangs?)|(compil(e|er|ation)|build|link(er|ing)?) errors?)\b`)
	// nowWorksRe: a body saying that something now works as it should,
	// or no longer fails: it did not before.
	nowWorksRe    = regexp.MustCompile(`(?i)\b(now|will) (correctly|properly)\b|\bnow (\w+ ){0,2}?(truly |really |actually )?works\b|\bno longer (crash|fail|hang|leak|deadlock|corrupt)\w*`)
	syscallNameRe = regexp.MustCompile(`^(sys_|SYS_|__NR_)\w+`)
	// lockCallRe matches a call's name split into lower-case words
	// (identifierWords): a word of locking, so that "blockCurrent" and
	// "clock_gettime" are not lock calls while "spin_lock_irqsave",
	// "irqMutex", "taskENTER_CRITICAL" and "vTaskSuspendAll" are.
	lockCallRe    = regexp.MustCompile(`(^|_)((un)?lock(s|ed|ing)?|(try|spin|rw|seq)lock|acquire|release|mutex|spin|critical|pushcli|popcli|semaphore|(disable|enable)_?(irq|irqs|intr|interrupts?)|cli|sti)(_|$)|suspend_?all|resume_?all|sem_(take|give|wait|post)`)
	checkCallRe   = regexp.MustCompile(`(?i)^(panic|assert|configassert|\w*_assert|bug_on|warn_on|kassert)$`)
	configMacroRe = regexp.MustCompile(`^(config[A-Z]\w+|CONFIG_\w+)$`)
	ciPathRe      = regexp.MustCompile(`^(\.github/|\.gitlab/|\.circleci/|\.azure-pipelines/)|^(\.gitlab-ci\.ya?ml|\.travis\.yml|azure-pipelines\.ya?ml|\.cirrus\.ya?ml|Jenkinsfile|\.gitignore|\.gitattributes|\.gitmodules|\.mailmap|\.editorconfig|\.clang-format|\.clang-tidy|\.codespellrc|\.cspell\.json|codecov\.ya?ml|\.pre-commit-config\.ya?ml)$`)
	docExtRe      = regexp.MustCompile(`(?i)\.(md|markdown|txt|rst|adoc|html?|pdf|png|jpe?g|svg|tex|bib|1|man)$`)
)

// PurposeOf decides a commit's purpose from its message and what its diff
// changed (files, with their entity changes; nil when unknown). The rules,
// in order: an upsynth.yaml override; a cosmetic "fix" (typo, comment,
// compiler warning, MISRA) is cleanup; a conventional prefix; a Fixes:,
// Reported-by: trailer or a CVE id; a diff of only docs or tests, or of
// only comments and whitespace, is cleanup; a new system call is a
// feature; keywords in the subject; what the diff did (new entities →
// feature, only removals → cleanup, a lock or check added to a function →
// fix, a small body change under a terse subject → fix); in the body, "no
// functional change" or "cleanup", then words that say something went
// wrong or performance words; last, new functions among other edits →
// feature. Then the purpose model (purposemodel.go), trained on
// hand-labelled commits of real kernels, reads the message's words and
// the diff's shape: it decides where the rules found no evidence, and
// overrules a rule whose evidence is not settled (settled) where it reads
// the commit confidently as another purpose. It returns the purpose and
// the evidence that decided it; the model's names its strongest features.
func PurposeOf(cfg *kernel.Config, sha, msg string, files []File) (Purpose, string) {
	d := readDiff(cfg, files)
	p, why := rulePurpose(cfg, sha, msg, files, d)
	if p != Other || why != noEvidence {
		if p == Perf || settled(cfg, sha, msg, d) {
			// Performance is rare in the labels the model learnt from
			// (73 of 3,642 commits), so it under-reads the words that say
			// it: overruling a rule's perf gained nothing on the held-back
			// commits (the model right 4 times in 10, the rule 4) and lost
			// the corpus's perf commits.
			return p, why
		}
		q, margin, features := modelReading(msg, d)
		if q == "" || q == p || margin < confidentMargin {
			return p, why
		}
		return q, fmt.Sprintf("%s, but the purpose model says %s (margin %.1f): %s", why, q, margin, features)
	}
	if q, _, features := modelReading(msg, d); q != "" {
		return q, noEvidence + "; " + features
	}
	return p, why
}

// confidentMargin is the purpose model's margin (its purpose's score over
// the runner-up's) at which it overrules a rule. Cross-validated on the
// 1,403 held-back commits first measured from s52 to s113 (the model
// trained without the commit's own label file, the rules as they stood
// when the sample was drawn), the rules were right on 1,036 and deferring
// to the model at this margin on 1,113; at 1.5 on 1,098, at 2 on 1,095
// (docs/real-kernels.md).
const confidentMargin = 1

// settled reports whether a commit carries evidence that no reading of
// its words can outweigh: an upsynth.yaml override, an initial import, a
// revert, a submodule update or a release's housekeeping, a conventional
// prefix, a Fixes: or Reported-by: trailer, a CVE id or a bug report it
// closes, an author's "no functional change", a diff of only docs, tests,
// CI files, comments or whitespace, or a new system call. The rules decide
// those alone.
func settled(cfg *kernel.Config, sha, msg string, d diffFacts) bool {
	subject := Subject(msg)
	switch {
	case cfg.PurposeOverride(sha) != "",
		initialRe.MatchString(subject),
		revertPurpose(subject) != "",
		submoduleRe.MatchString(subject),
		releaseRe.MatchString(subject),
		conventionalPrefix(subject) != "",
		fixesRe.MatchString(msg), cveRe.MatchString(msg), reportRe.MatchString(msg), issueFixRe.MatchString(msg),
		noFunctionalChangeRe.MatchString(msg):
		return true
	}
	return d.known && (d.cosmetic() != "" || d.syscall != "")
}

// conventionalPrefix returns a subject's conventional prefix ("fix",
// "docs", "perf(sched)"), "" when it has none or a weak one ("trivial")
// over a subject that names a fault or a speed-up.
func conventionalPrefix(subject string) string {
	m := prefixRe.FindStringSubmatch(subject)
	if m == nil {
		return ""
	}
	tag := m[1] + m[2] + m[3] + m[4]
	rest := subject[len(m[0]):]
	if _, ok := prefixMap[strings.ToLower(tag)]; !ok || weakPrefixes[strings.ToLower(tag)] && (keywords[0].find(rest) != "" || keywords[2].find(rest) != "") {
		return ""
	}
	return tag
}

// revertPurpose is why a commit is a revert, whose purpose is the reverted
// commit's undoing; "" when it is not one.
func revertPurpose(subject string) string {
	switch {
	case strings.HasPrefix(subject, `Revert "`):
		return "a revert: its purpose is the reverted commit's undoing"
	case revertingRe.FindString(subject) != "":
		return "subject says " + strings.ToLower(revertingRe.FindString(subject)) + ": its purpose is the reverted commit's undoing"
	case revertAtEndRe.MatchString(subject):
		return "subject ends with revert: its purpose is the undoing"
	case handRevertRe.MatchString(subject) && !strongFixRe.MatchString(subject) && keywords[3].find(subject) == "":
		// ("Revert formatting on Tasking ports" undoes a tidying with
		// another, read by the rules below.)
		return "a revert written by hand: its purpose is the undoing"
	}
	return ""
}

// revertBoilerplateRe is a line of a revert's body that git or a trailer
// wrote: the reverted commits, the conflicts and their files, sign-offs.
var revertBoilerplateRe = regexp.MustCompile(`(?i)^(this reverts commits?\b.*|reversing\b.*|changes made to\b.*|conflicts:|\s+\S+|[0-9a-f]{7,40}\.?|[\w-]+-by: .*|)$`)

// revertReason is what a revert's body says beyond what git writes ("My
// changes have a race with re-used bufs"), "" when it says nothing.
func revertReason(msg, subject string) string {
	body := strings.TrimPrefix(strings.TrimLeft(msg, "\n"), subject)
	var reason []string
	for line := range strings.SplitSeq(body, "\n") {
		if !revertBoilerplateRe.MatchString(line) {
			reason = append(reason, strings.TrimSpace(line))
		}
	}
	return strings.Join(reason, " ")
}

// noEvidence is the reason of a commit the rules could not place.
const noEvidence = "no purpose keyword, nothing in the diff tells"

// rulePurpose is PurposeOf without the purpose model: the rules alone,
// over files and what readDiff read of them.
func rulePurpose(cfg *kernel.Config, sha, msg string, files []File, d diffFacts) (Purpose, string) {
	if p := cfg.PurposeOverride(sha); p != "" {
		return Purpose(p), "upsynth.yaml override"
	}
	subject := Subject(msg)
	if initialRe.MatchString(subject) {
		return Other, "the initial import"
	}
	if why := revertPurpose(subject); why != "" {
		// A revert that says why it was made is read for that: what
		// went wrong ("My changes have a race with re-used bufs"), or a
		// reason for undoing comments ("the comment introduced in the
		// PR is not accurate").
		reason := revertReason(msg, subject)
		if w := faultSaid(reason); reason != "" && w != "" {
			return Fix, why + ", and it says why: " + strings.ToLower(w)
		}
		if d.known && d.cosmetic() != "" {
			// Undoing a reformatting reformats (seL4's revert of a
			// [STYLE_FIX] commit), with a reason or without: what changes
			// either way changes no code.
			if reason != "" {
				return Cleanup, why + ", and it says why; " + d.cosmetic()
			}
			return Cleanup, why + "; " + d.cosmetic()
		}
		return Other, why
	}
	if w := checkpointRe.FindString(subject); w != "" && keywords[3].find(checkpointRe.ReplaceAllString(subject, "")) == "" {
		// ("checkpoint - simpler namei interface" names a tidying.)
		return Feature, "subject says " + strings.ToLower(w) + ": work in progress on something new"
	}
	if w := releaseRe.FindString(subject); w != "" && !cosmeticFixRe.MatchString(subject) {
		// "Fix MISRA violations for Kernel release V11.2.0": the
		// cosmetic fix below says what was done for the release.
		return Other, "release housekeeping: subject says " + strings.ToLower(w)
	}
	if w := typoInNameRe.FindString(subject); w != "" && !strings.Contains(strings.ToLower(subject), "comment") {
		// "handleReservedIRQ: Fix typo in CONFIG_ARM_SMMU": the code
		// tested a name that does not exist.
		return Fix, "subject says " + w + ": code spelled a name wrong"
	}
	if w := linkFixRe.FindString(subject); w != "" {
		// "Fix some broken/redirected URL": the link was broken, no
		// kernel.
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": links, no code"
	}
	if w := saidWithoutFault(docsTargetRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": documentation"
	}
	if w := cosmeticFixRe.FindString(subject); w != "" && !strongFixRe.MatchString(subject) {
		return Cleanup, "subject says " + strings.ToLower(w) + " (cosmetic)"
	}
	if w := licenseRe.FindString(subject); w != "" && !strongFixRe.MatchString(subject) {
		return Cleanup, "subject says " + strings.ToLower(w) + ": licensing, no code"
	}
	if w := warningRe.FindString(subject); w != "" && !strongFixRe.MatchString(subject) {
		return Cleanup, "subject quotes a compiler warning (" + strings.TrimSpace(w) + ")"
	}
	if w := toolAppliedRe.FindString(subject); w != "" && !strongFixRe.MatchString(subject) {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSuffix(strings.TrimSpace(w), ":")) + ": a tool's mechanical edit"
	}
	if w := saidWithoutFault(forToolsRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": made for a checking tool"
	}
	if w := saidWithoutFault(noFunctionalChangeRe, subject); w != "" {
		return Cleanup, "subject says " + w
	}
	if w := optimizedBuildRe.FindString(subject); w != "" {
		return Perf, "subject says " + strings.TrimPrefix(strings.TrimLeft(strings.ToLower(w), ";, "), "and ") + ": the optimizer's code"
	}
	if w := saidWithoutFault(typeUsedRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": a type named as the code names it"
	}
	if w := saidWithoutFault(idiomaticRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": style"
	}
	if w := movedToSubmoduleRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(w) + ": code moved out of the tree, kept elsewhere"
	}
	if submoduleRe.MatchString(subject) {
		return Other, "a submodule update: its purpose is the submodule's commits'"
	}
	if w := mergedBranchRe.FindString(subject); w != "" {
		return Feature, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a development branch merged as one commit"
	}
	if d.known && d.code == 0 && d.other == 0 && d.docs+d.tests == 0 && d.ci > 0 {
		// A fix to CI or to the repository's settings fixes no kernel:
		// whatever the message calls it, the commit is housekeeping.
		return Cleanup, d.cosmetic()
	}
	if w := branchHintRe.FindString(subject); w != "" {
		return Perf, "subject says " + strings.ToLower(w) + ": a branch hint for the compiler"
	}
	if tag := conventionalPrefix(subject); tag != "" {
		rest := subject[len(prefixRe.FindString(subject)):]
		if w := trivialMendRe.FindString(rest); w != "" && strings.EqualFold(tag, "trivial") {
			return Fix, "prefix " + tag + ", but the subject says " + strings.ToLower(w)
		}
		if w := trivialPrintRe.FindString(rest); w != "" && strings.EqualFold(tag, "trivial") {
			return Feature, "prefix " + tag + ", but the subject says " + strings.ToLower(strings.TrimSpace(w)) + ": output the kernel did not give"
		}
		return prefixMap[strings.ToLower(tag)], "prefix " + tag
	}
	body := strings.TrimSpace(strings.TrimPrefix(strings.TrimLeft(msg, "\n"), subject))
	if w := warningAim(subject, body); w != "" {
		return Cleanup, "body says " + w + ": only warnings were wrong"
	}
	switch {
	case fixesRe.MatchString(msg):
		return Fix, "Fixes: trailer"
	case cveRe.MatchString(msg):
		return Fix, "names " + cveRe.FindString(msg)
	case reportRe.MatchString(msg):
		return Fix, "Reported-by: trailer"
	case onByDefaultRe.MatchString(subject):
		return Feature, "subject says " + strings.ToLower(strings.TrimSpace(onByDefaultRe.FindString(subject))) + ": made the default"
	case issueFixRe.MatchString(msg):
		if w := requestedRe.FindString(subject); w != "" {
			verb := strings.ToLower(strings.TrimSpace(w))
			if strings.Contains(verb, "implement") || strings.Contains(verb, "support") {
				return Feature, "subject says " + verb + ": what the issue it closes asked for"
			}
			return Perf, "subject says " + verb + ": what the issue it closes asked for"
		}
		return Fix, "message says " + issueFixRe.FindString(msg) + ": closes a bug report"
	}
	if d.known {
		if why := d.cosmetic(); why != "" {
			return Cleanup, why
		}
		if d.syscall != "" {
			return Feature, "adds system call " + d.syscall
		}
	}
	if w := orderMoveRe.FindString(subject); w != "" {
		// Moving a definition or an include before another: the order
		// mattered, and was wrong.
		return Fix, "subject says " + strings.ToLower(w) + ": an order corrected"
	}
	if w := moveRe.FindString(subject); w != "" && d.known && d.compiled > 0 && d.onlyMoved() {
		return Cleanup, "subject says " + strings.ToLower(w) + " and the diff only moves entities"
	}
	if w := workaroundGoneRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(w) + ": a workaround no longer needed"
	}
	if from, to := unboundedWriteRe.FindString(subject), boundedWriteRe.FindString(subject); from != "" && to != "" {
		// "Replace sprintf with snprintf": a write that could pass the
		// end of its buffer is bounded now, whatever else the diff adds
		// (the length it needs may be a new option).
		return Fix, "subject replaces " + from + " with " + to + ": a buffer write bounded"
	}
	if m := renameArrowRe.FindStringSubmatch(subject); m != nil && d.known {
		if why := renameArrow(files, d, m[2], m[8]); why != "" {
			return Cleanup, why
		}
	}
	if w := saidWithoutFault(buildToolRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": build tooling"
	}
	if w := restoredRe.FindString(subject); w != "" && revertingRe.FindString(subject) == "" {
		return Fix, "subject says " + strings.ToLower(w) + ": what was removed by mistake restored"
	}
	if w := edgeAllowedRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(w) + ": an edge case the code refused"
	}
	if w := notSupportedRe.FindString(subject); w != "" && keywords[3].find(subject) == "" {
		return Fix, "subject says " + strings.ToLower(w) + ": a limitation enforced"
	}
	for _, r := range subjectRules {
		if w := r.match(subject); w != "" {
			return r.purpose, "subject says " + w + ": " + r.why
		}
	}
	if w := saidWithoutFault(likeOthersRe, subject); w != "" {
		// Asked before "use X", which reads a diff that adds as a
		// feature: "use ftable like btable and itable" adds ftable.
		return Cleanup, "subject says " + w + ": made consistent with its siblings"
	}
	if w := useLeadRe.FindString(subject); w != "" && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" && keywords[3].find(subject) == "" {
		// "Use X": a mechanism taken up; bringing new code, a feature.
		// But a library's facility taken up is a migration ("USB: Use
		// libarch DMA structs in API"); one mechanism in place of another
		// is a cleanup unless the message says what went wrong with the
		// old one, or the diff only touches the code of a few functions,
		// where the body rule below decides ("use CNT_CT instead of
		// CNTFRQ", a fix that small), unless X is used in a place or over
		// another ("Use strnlen over strlen", "use sc_active in
		// isSchedulable", cleanups that small); and taking X up while only removing
		// code drops one's own copy of it ("apq8064: use
		// declare_default_headers").
		w = strings.ToLower(strings.TrimSpace(w))
		switch lib := useLibraryRe.FindString(subject); {
		case lib != "":
			return Cleanup, "subject says " + strings.ToLower(lib) + ": a library's facility taken up"
		case useCallRe.MatchString(subject) && d.known && len(d.addedNames) == 0:
			return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(useCallRe.FindString(subject))) + ": an existing facility taken up"
		case useInRe.MatchString(subject) && keywords[0].find(body) == "":
			return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(useInRe.FindString(subject))) + "…: code written with what it has"
		case replacesRe.MatchString(subject) && keywords[0].find(body) == "" && keywords[1].find(body) == "" && !d.smallBodyChange():
			return Cleanup, "subject says " + w + " … " + strings.ToLower(replacesRe.FindString(subject)) + ", and no message says what went wrong"
		case d.known && len(d.addedNames) > 0 && !replacesRe.MatchString(subject):
			return Feature, "subject says " + w + " and the diff adds " + names(d.addedNames)
		case d.known && len(d.addedNames) == 0 && d.removed > 0 && d.body == 0:
			return Cleanup, "subject says " + w + " and the diff only removes code"
		}
	}
	if w := cleanupLeadRe.FindString(subject); w != "" && !strongFixRe.MatchString(subject) && !addedClauseRe.MatchString(subject) {
		if clause := fixClauseRe.FindString(subject); clause != "" {
			// "Refactor includes so trace point support builds": the
			// tidying is how, the build mended is why.
			return Fix, "subject starts with " + strings.ToLower(strings.TrimSpace(w)) + " and says it is done " + strings.ToLower(clause)
		}
		if w2 := bodyFixesRe.FindString(body); w2 != "" {
			// "drivers/ata: Refactor IRQ handling" over "This fixes ATA
			// on VirtualBox.": the refactoring is how, the fix is why.
			return Fix, "subject starts with " + strings.ToLower(strings.TrimSpace(w)) + ", and the body says " + strings.ToLower(strings.TrimSpace(w2))
		}
		// ("Refactor the scheduler to fix a race" says what went wrong.)
		return Cleanup, "subject starts with " + strings.ToLower(strings.TrimSpace(w))
	}
	if w := rewriteRe.FindString(subject); w != "" && keywords[0].find(msg) == "" && keywords[2].find(msg) == "" && !nowWorksRe.MatchString(msg) {
		// Read before what the diff adds: a rewrite's new functions are
		// the old code's new shape.
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + " and the message says nothing went wrong: the code restructured"
	}
	if m := renameGlobRe.FindStringSubmatch(subject); m != nil && d.known {
		if renamedByPattern(d, m[2], m[5]) {
			return Cleanup, "subject renames " + m[2] + "* to " + m[5] + "* and the diff does"
		}
	}
	if w := restructureLeadRe.FindString(subject); w != "" && keywords[0].re.FindString(subject) == "" && keywords[1].re.FindString(subject) == "" && keywords[2].re.FindString(subject) == "" {
		if aim := cmp.Or(perfAimRe.FindString(body), keywords[1].find(body)); aim != "" {
			// "gicv3: Split EOI mode" over "This is more efficient than
			// doing a disable and enable operation …".
			return Perf, "subject starts with " + strings.ToLower(strings.TrimSpace(w)) + " and the body says " + strings.ToLower(aim)
		}
		return Cleanup, "subject starts with " + strings.ToLower(strings.TrimSpace(w)) + ": code restructured, and it says nothing went wrong"
	}
	if w := movedOutRe.FindString(subject); w != "" && keywords[0].re.FindString(subject) == "" {
		return Perf, "subject says " + strings.ToLower(w) + ": less work where it costs most"
	}
	if w := moveIntoConditionRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(w) + ": code that ran always now runs only when the condition holds"
	}
	if w := leadMoveRe.FindString(subject); w != "" && keywords[0].re.FindString(subject) == "" && keywords[2].re.FindString(subject) == "" && !addedClauseRe.MatchString(subject) {
		// ("Move keyboard code into kbd.c; add backspace handling."
		// does more than move.)
		if need := orderNeededRe.FindString(body); need != "" {
			return Fix, "subject starts with " + strings.ToLower(strings.TrimSpace(w)) + " and the body says it " + strings.ToLower(strings.Join(strings.Fields(need), " ")) + ": an order corrected"
		}
		return Cleanup, "subject starts with " + strings.ToLower(strings.TrimSpace(w)) + " and says nothing went wrong"
	}
	if w := genericFixesRe.FindString(subject); w != "" && body != "" && strongFixRe.FindString(body) == "" {
		// "assorted fixes:" over a list of renames, comments and
		// formatting: the subject's "fixes" is a word for changes, and
		// the list says what they were.
		if c := keywords[3].find(body); c != "" && keywords[0].find(cosmeticFixRe.ReplaceAllString(body, "")) == "" {
			return Cleanup, "subject says " + strings.ToLower(w) + " and the body lists cleanups (" + strings.ToLower(c) + ")"
		}
	}
	if w := diagnosticsRe.FindString(subject); w != "" && !strongFixRe.MatchString(subject) {
		return Feature, "subject says " + strings.ToLower(w) + ": diagnostics that say more"
	}
	if w := simplifyPurposeRe.FindString(subject); w != "" && !strongFixRe.MatchString(subject) && keywords[0].find(subject) == "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": the purpose it states is a tidying"
	}
	if w := saidWithoutFault(configOptionRe, subject); w != "" {
		return Feature, "subject says " + w + ": a choice added"
	}
	if w := replaceWithRe.FindString(subject); w != "" && keywords[0].find(msg) == "" && keywords[1].find(msg) == "" && keywords[2].find(subject) == "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + "…, and no message says what went wrong or is gained"
	}
	if w := declarationOnlyRe.FindString(subject); w != "" && keywords[0].find(subject) == "" && keywords[2].find(subject) == "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a declaration, nothing new done"
	}
	if w := friendshipRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": C++ access narrowed"
	}
	if w := saidWithoutFault(specializedRe, subject); w != "" {
		return Perf, "subject says " + w + ": a fast path for one case"
	}
	if w := saidWithoutFault(debuggingAidRe, subject); w != "" {
		return Feature, "subject says " + w + ": a debugging aid"
	}
	if w := saidWithoutFault(activeModeRe, subject); w != "" {
		return Fix, "subject says " + w + ": it was computed without it"
	}
	if w := debugPrintGoneRe.FindString(subject); w != "" && keywords[2].find(subject) == "" {
		// ("Remove all printf() statements from Kinetis demo as they
		// prevent the code running …" says what went wrong.)
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": diagnostics dropped"
	}
	if w := testsNamedRe.FindString(subject); w != "" && keywords[0].find(testsNamedRe.ReplaceAllString(subject, "")) == "" {
		return Cleanup, "subject says " + strings.ToLower(w) + ": tests, housekeeping"
	}
	if testNamedRe.MatchString(subject) && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" {
		return Cleanup, "subject names a test (" + subject + "): tests, housekeeping"
	}
	if w := saidWithoutFault(firstImplementationRe, subject); w != "" {
		if documentationRe.MatchString(w) {
			// "hel: Initial documentation support": the first of its
			// documentation, not of its code.
			return Cleanup, "subject says " + w + ": documentation"
		}
		return Feature, "subject says " + w + ": a first implementation"
	}
	if w := honourRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": something was ignored"
	}
	if w := castAddedRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a conversion made explicit"
	}
	if w := ciUpdateRe.FindString(subject); w != "" && !strongFixRe.MatchString(subject) {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": continuous integration, housekeeping"
	}
	if w := byDefaultRe.FindString(subject); w != "" && !strongFixRe.MatchString(subject) && keywords[1].find(subject) == "" {
		return Feature, "subject says " + strings.ToLower(w) + ": a configuration's default chosen"
	}
	if w := saidWithoutFault(beClearRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": the code says what it means"
	}
	if w := nowWorksRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(w) + ": it did not before"
	}
	if w := disallowRe.FindString(subject); w != "" && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" && keywords[2].find(subject) == "" {
		return Fix, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a hole closed"
	}
	if w := representationRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(w) + ": the same state represented otherwise"
	}
	if w := trackRe.FindString(subject); w != "" && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" && keywords[2].find(subject) == "" {
		return Feature, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": state the kernel did not keep"
	}
	if w := nameNotRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(w) + ": a name given up"
	}
	if w := changeCodeToRe.FindString(subject); w != "" && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" && keywords[2].find(subject) == "" {
		return Cleanup, "subject changes one spelling of code for another (" + strings.TrimSpace(w) + ")"
	}
	if w := proofsRe.FindString(subject); w != "" && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" {
		return Cleanup, "subject says " + strings.ToLower(w) + ": for the proofs, the kernel's behaviour unchanged"
	}
	if w := saidWithoutFault(declareInsteadRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": one declaration for several"
	}
	if w := listingLayoutRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(w) + ": the printed listing's layout"
	}
	if w := saidWithoutFault(noMoreRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": something dropped"
	}
	if w := saidWithoutFault(noInitializerRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": a value assigned before use anyway"
	}
	if w := restrictLeadRe.FindString(subject); w != "" && !strings.Contains(strings.ToLower(subject), "friend") && keywords[1].find(subject) == "" {
		return Fix, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a hole closed"
	}
	if w := uglinessGoneRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": ugly code taken out"
	}
	if w := saidWithoutFault(tweaksRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": small adjustments"
	}
	if w := untestedRe.FindString(quotedRe.ReplaceAllString(subject, "")); w != "" && keywords[0].find(subject) == "" && keywords[2].find(subject) == "" {
		return Feature, "subject says " + strings.ToLower(w) + ": work in progress on something new"
	}
	if debugVerbRe.MatchString(subject) && keywords[3].find(subject) == "" {
		return Fix, "subject says debug: something that did not work made to"
	}
	if w := makeCompileRe.FindString(subject); w != "" && keywords[1].find(subject) == "" {
		return Fix, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a build that failed"
	}
	if w := checkAddedRe.FindString(subject); w != "" && !testsAddedRe.MatchString(subject) {
		return Fix, "subject says " + strings.ToLower(w) + ": a check the code lacked"
	}
	if w := capAddedRe.FindString(subject); w != "" {
		if bad := keywords[0].find(msg); bad != "" {
			return Fix, "subject says " + strings.ToLower(w) + " and the message says " + bad + ": a bound the code lacked"
		}
	}
	if w := saidWithoutFault(nameChangedRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": a rename"
	}
	if w := saidWithoutFault(dumpToRe, subject); w != "" {
		return Feature, "subject says " + w + ": a new output"
	}
	if w := saidWithoutFault(finishRe, subject); w != "" {
		return Feature, "subject says " + w + ": work on something new completed"
	}
	if w := assumptionGoneRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(w) + ": the code assumed what did not always hold"
	}
	if w := saidWithoutFault(onlyWhenNeededRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": compiled only where used"
	}
	if w := saidWithoutFault(onlyWhenNeededWorkRe, subject); w != "" {
		return Perf, "subject says " + w + ": work done only when needed"
	}
	if w := saidWithoutFault(fastpathAddedRe, subject); w != "" {
		return Perf, "subject says " + w + ": a fast path for a case that was slow"
	}
	if w := saidWithoutFault(eagerMapRe, subject); w != "" {
		return Perf, "subject says " + w + ": pages mapped before they fault"
	}
	if namedValueRe.MatchString(subject) && keywords[0].find(body) == "" && keywords[1].find(body) == "" {
		return Cleanup, "subject only adds a named constant or macro (" + subject + "): a name for what the code spelled out"
	}
	if w := clobberAddedRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": the compiler could reorder across the asm"
	}
	if w := testThatRe.FindString(subject); w != "" && keywords[0].find(strings.TrimPrefix(subject, w)) == "" {
		return Cleanup, "subject describes a test (" + strings.ToLower(strings.TrimSpace(w)) + "…): tests, housekeeping"
	}
	if w := saidWithoutFault(portAdaptRe, subject); w != "" {
		return Feature, "subject says " + w + ": work of a port to that architecture"
	}
	if w := printsNowRe.FindString(subject); w != "" && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" {
		return Feature, "subject says " + w + ": output it did not give"
	}
	if w := nowUsesRe.FindString(subject); w != "" && d.known && len(d.addedNames) == 0 && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" {
		return Cleanup, "subject says " + w + ": an existing facility taken up"
	}
	if w := protectWithLockRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a race closed"
	}
	if w := handleCaseRe.FindString(subject); w != "" && !handleMoreRe.MatchString(subject) && !handleFeatureRe.MatchString(subject) && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" && keywords[2].find(subject) == "" {
		return Fix, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a case that went wrong"
	}
	if w := standardCRe.FindString(subject); w != "" && keywords[0].find(subject) == "" {
		return Cleanup, "subject says " + w + ": the code made standard C"
	}
	if w := quieterRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": fewer messages"
	}
	if w := saidWithoutFault(removeNeedlessRe, subject); w != "" && !addedClauseRe.MatchString(subject) {
		// "arm: Remove empty level2 cache code": what goes did
		// nothing, whatever it was about (its "cache" no perf word);
		// unless the message says it cost space.
		if c := codeSizeCostRe.FindString(msg); c != "" {
			return Perf, "subject says " + w + " and the message says it " + strings.ToLower(c) + ": space saved"
		}
		return Cleanup, "subject says " + w + ": code that did nothing removed"
	}
	if w := neverUsedGoneRe.FindString(subject); w != "" && keywords[0].find(neverUsedGoneRe.ReplaceAllString(subject, "")) == "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": code that did nothing removed"
	}
	if w := saidWithoutFault(removedMechanismRe, subject); w != "" {
		return Cleanup, "subject says " + w + ": a mechanism taken out, nothing sped up"
	}
	if w := vcsAddRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(w) + ": a file an earlier commit left out"
	}
	if w := limitSizeRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a bound on what a caller could make unbounded"
	}
	if w := saidWithoutFault(restrictRe, subject); w != "" {
		return Fix, "subject says " + w + ": a restriction to a condition"
	}
	if w := implementProperlyRe.FindString(subject); w != "" && keywords[0].find(subject) == "" {
		// "posix: Implement inotify properly", "Implement proper fork()
		// / execve()": the real thing where a stub stood, new work.
		return Feature, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": a real implementation where a stub stood"
	}
	if w := saidWithoutFault(abstractionAddedRe, subject); w != "" && len(d.adopters) >= 2 {
		// "x86: Added PIC class." whose acpi_madt code now calls it:
		// existing code reshaped around a new abstraction. (A class no
		// existing code calls is new capability: "ARM: Added Timer
		// class.")
		return Cleanup, "subject says " + w + ", and existing code now calls it (" + names(d.adopters) + "): code reshaped around a new abstraction"
	}
	for i, k := range keywords[:3] {
		if w := k.find(subject); w != "" {
			if i == 2 && d.known && d.edited == 0 && len(d.addedNames) > 0 && mechanismRe.MatchString(w) {
				// "ARM: Added barriers." over a new header: a weaker
				// fix word naming a mechanism, but nothing that
				// existed was touched, so nothing was corrected; what
				// is new is a feature. (A file a commit forgot is
				// "missing", and "don't" changes behaviour: fixes.)
				return Feature, "subject says " + strings.ToLower(w) + ", but the diff only adds new files (" + names(d.addedNames) + ")"
			}
			return k.purpose, "subject says " + strings.ToLower(w)
		}
	}
	if w := generalizeRe.FindString(subject); w != "" && !generalizeToRe.MatchString(msg) && keywords[0].find(body) == "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": the same work done more generally"
	}
	if w := updateToVersion(subject); w != "" && keywords[3].find(subject) == "" {
		return Feature, "subject says " + strings.ToLower(w) + ": a newer version taken up"
	}
	if w := inlineHintRe.FindString(subject); w != "" {
		return Perf, "subject says " + strings.ToLower(w) + ": inlining or branch hints"
	}
	if w := makeConstRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": the compiler told what the code already did"
	}
	if w := makeStaticRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": internal linkage, its users unchanged"
	}
	if w := makeNonStaticRe.FindString(subject); w != "" {
		return Cleanup, "subject says " + strings.ToLower(strings.TrimSpace(w)) + ": members made instance members, their callers following"
	}
	if w := handleMoreRe.FindString(subject); w != "" {
		// "Handle more faults": handling extended to cases it did not
		// cover is new behaviour ("handle X" alone mends X).
		return Feature, "subject says " + strings.ToLower(w) + ": handling extended"
	}
	if w := restoreRe.FindString(subject); w != "" {
		return Fix, "subject says " + strings.ToLower(w)
	}
	if w := improvementsRe.FindString(subject); w != "" && keywords[0].find(subject) == "" && keywords[1].find(subject) == "" && keywords[2].find(subject) == "" && keywords[3].find(subject) == "" && (keywords[0].find(body) == "" || newInterfaceRe.MatchString(body)) {
		// ("Bring the heap_4 improvements to secure_heap" over "This
		// includes improvements like addition overflow checks": the
		// improvements mend; unless the body lists a new API or option
		// among them, "Heap improvements" adding pvPortCalloc.)
		return Feature, "subject says " + strings.ToLower(w) + ": the component does more"
	}
	if p, why := keywordPurpose("subject", subject); p != "" {
		// A subject that only names what was done ("Remove support
		// for X") is overruled by a body saying what went wrong.
		if w := faultSaid(body); w != "" && p == Cleanup {
			return Fix, "body says " + strings.ToLower(w) + " (" + why + ")"
		}
		// "Implement X with a macro" over a body giving performance as
		// the aim: the thing existed, it is done faster now.
		if w := readabilityAimRe.FindString(msg); w != "" && p == Feature {
			return Cleanup, "message says " + strings.ToLower(w) + " (" + why + ")"
		}
		if w := perfAimRe.FindString(body); w != "" && p == Feature {
			return Perf, "body says " + strings.ToLower(w) + " (" + why + ")"
		}
		// "Add .syntax unified to GCC assembly functions" over "This
		// fixes the compilation issue with XC32": what was added mends
		// something that did not work.
		// So is "Minor renaming of CowChain members" over "Also fixes a
		// potential locking issue".
		if loc := fixAimRe.FindStringIndex(body); loc != nil && (p == Feature || p == Cleanup && !trackerRefRe.MatchString(body[loc[1]:])) {
			// ("Manual: Document X" over "This resolves issue #1083"
			// closes a request on the tracker, not a bug.)
			return Fix, "body says " + strings.ToLower(body[loc[0]:loc[1]]) + " (" + why + ")"
		}
		// A cleanup word over a diff that only adds new files ("ARM:
		// Unified MTD class." moving a header unchanged and adding the
		// ARM part): nothing that existed was tidied; what is new is a
		// feature.
		if p == Cleanup && d.onlyNewFiles() && !testsAddedRe.MatchString(why) {
			return Feature, why + ", but the diff only adds new files (" + names(d.addedNames) + ")"
		}
		return p, why
	}
	if w := forProofsRe.FindString(body); w != "" && keywords[0].find(body) == "" && keywords[1].find(body) == "" {
		return Cleanup, "body says " + strings.ToLower(w) + ": for the proofs, the kernel's behaviour unchanged"
	}
	if d.known {
		if p, why := d.purpose(terse(subject), importLikeRe.MatchString(subject)); p != "" {
			return p, why
		}
	}
	// A body explains; its cleanup and feature words describe the code
	// more often than the commit, so only a word that says something went
	// wrong or a performance word counts there.
	if w := nfcRe.FindString(body); w != "" {
		return Cleanup, "body says " + strings.ToLower(w)
	}
	for _, k := range keywords[:2] {
		if w := k.find(body); w != "" {
			return k.purpose, "body says " + strings.ToLower(w)
		}
	}
	if w := nowWorksRe.FindString(body); w != "" {
		// "Devices now correctly report …": what did not work before.
		return Fix, "body says " + strings.ToLower(w)
	}
	if d.known && d.compiled == 0 {
		// Build files alone: a body saying what they gain ("Add
		// Cortex-M55 and Cortex-M85 ports") makes them a feature.
		if w := keywords[4].re.FindString(body); w != "" && d.code > 0 {
			return Feature, "only build files changed, and the body says " + strings.ToLower(w)
		}
		return Cleanup, "nothing compiled into the kernel changed (build files, scripts, data)"
	}
	if d.smallBodyChange() {
		// Nothing was added, removed or re-declared: a change confined to
		// a few existing functions' code under a message that names no
		// purpose. On the samples labelled after this rule was written it
		// was a fix 5 times in 9 (the rest cleanups), where "other" is
		// never right: it raises accuracy, at some cost in fix precision
		// (docs/real-kernels.md).
		return Fix, "the message names no purpose; the diff only changes the body of " + names(d.bodyFns)
	}
	if d.known && len(d.addedFns) > 0 && !importLikeRe.MatchString(subject) {
		// New functions beside other edits, under a message that names no
		// purpose ("rtdl/posix: Expect args and environment on stack"):
		// something new done. On the samples before the fourteenth round
		// these were features 12 times in 15 (docs/real-kernels.md);
		// "other" is never right for them. An import says so in its
		// subject ("Initial kernel").
		return Feature, "the message names no purpose; the diff adds " + names(d.addedFns) + " among other changes"
	}
	if m := renameArrowRe.FindStringSubmatch(subject); m != nil && d.added+d.removed == 0 {
		// "uint32_t -> uint &c" over a diff that respells types, adding
		// and removing nothing: the same code under other names. (A
		// diff that adds and removes other names says otherwise.)
		return Cleanup, "subject respells " + m[2] + " as " + m[8] + ", and nothing else tells"
	}
	return Other, noEvidence
}

// warningAim returns the words of a prose body's first sentence that mend
// compiler warnings ("Define configENABLE_PAC ... to prevent \"used before
// definition\" warnings"), when neither it nor the subject says something
// went wrong: that sentence says why the commit was made, whatever tracker
// issue it closes. "" otherwise, and for a body that opens with a list (a
// warning silenced in one bullet of a squashed list is one change among
// others).
func warningAim(subject, body string) string {
	if body == "" || body[0] == '*' || body[0] == '-' {
		return ""
	}
	first := body
	if i := strings.Index(first, ".\n"); i >= 0 {
		first = first[:i]
	}
	if i := strings.Index(first, ". "); i >= 0 {
		first = first[:i]
	}
	w := warningMendRe.FindString(first)
	if w == "" || keywords[0].find(subject) != "" || faultSaid(first) != "" {
		return ""
	}
	return strings.ToLower(w)
}

// faultSaid returns the first word of text that says something went wrong
// (strongFixRe), passing over those in quotes (a hardware dependence
// "leak") and those that describe the code a cleanup takes out
// ("duplicate (and incorrect) definitions", "broken code around"): the
// code removed was faulty, not the kernel's behaviour.
func faultSaid(text string) string {
	for _, loc := range strongFixRe.FindAllStringIndex(text, -1) {
		before, after := text[:loc[0]], text[loc[1]:]
		if quoted := strings.HasSuffix(before, `"`) && strings.HasPrefix(after, `"`) || strings.HasSuffix(before, "'") && strings.HasPrefix(after, "'"); quoted {
			continue
		}
		if faultyCodeRe.MatchString(after) {
			continue
		}
		return text[loc[0]:loc[1]]
	}
	return ""
}

// updateToVersion returns the part of subject that updates or upgrades
// something to a version (updateToRe), or "".
func updateToVersion(subject string) string {
	loc := updateToRe.FindStringSubmatchIndex(subject)
	if loc == nil {
		return ""
	}
	target := subject[loc[1]:]
	if m := dottedVersionRe.FindString(target); m != "" {
		return subject[loc[0]:loc[1]] + m
	}
	// "stivale to stivale2": a name the subject already holds, numbered.
	if m := numberedAfterRe.FindStringSubmatch(target); m != nil {
		between := strings.ToLower(subject[loc[8]:loc[9]])
		for _, word := range strings.FieldsFunc(between, func(r rune) bool { return !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
			if word == strings.ToLower(m[1]) {
				return subject[loc[0]:loc[1]] + m[0]
			}
		}
	}
	return ""
}

// keywordPurpose reads purpose words: a word that says something went
// wrong wins, then a performance word, then whichever of a cleanup or a
// feature word comes first ("add X, and refactor Y" is a feature), unless a
// later clause adds something ("clean up Makefile; add wc" is a feature).
func keywordPurpose(where, text string) (Purpose, string) {
	best, bestAt, bestWord := Purpose(""), len(text)+1, ""
	for _, k := range keywords {
		loc := k.index(text)
		if loc == nil {
			continue
		}
		w := text[loc[0]:loc[1]]
		if k.purpose == Fix || k.purpose == Perf {
			return k.purpose, where + " says " + strings.ToLower(w)
		}
		if loc[0] < bestAt {
			best, bestAt, bestWord = k.purpose, loc[0], w
		}
	}
	if best == "" {
		return "", ""
	}
	if best == Cleanup {
		if loc := addedClauseRe.FindStringIndex(text); loc != nil {
			return Feature, where + " says " + strings.ToLower(strings.TrimSpace(strings.TrimLeft(text[loc[0]:loc[1]], ";,")))
		}
	}
	return best, where + " says " + strings.ToLower(bestWord)
}

// subjectRule is a subject phrase that decides a purpose on its own, with
// why it does. Matches are read lower-cased and trimmed unless keepCase;
// faultless rules count only when the subject says nothing went wrong.
type subjectRule struct {
	re        *regexp.Regexp
	purpose   Purpose
	why       string
	faultless bool
	keepCase  bool
	// alone: the phrase must be all the subject says, with no later
	// clause adding something ("Let k_init connect to ld-server; add
	// frigg::async" is more than code made asynchronous).
	alone bool
	// unless: the rule does not count when this matches the subject
	// ("Add missing #ifdef guards": guards a commit forgot).
	unless *regexp.Regexp
}

// subjectRules are asked in order, after the rules that need the diff's
// moves and renames and before "use X".
var subjectRules = []subjectRule{
	{re: interfaceUpdateRe, purpose: Cleanup, why: "code brought to a changed interface", faultless: true},
	{re: misconfigurationRe, purpose: Fix, why: "a misconfiguration caught"},
	{re: repeatedCallRe, purpose: Fix, why: "a repeated call handled"},
	{re: savedRegistersRe, purpose: Fix, why: "state lost across a switch"},
	{re: fragileRe, purpose: Fix, why: "code that broke easily made robust"},
	{re: fasterPrimitiveRe, purpose: Perf, why: "a faster primitive taken up"},
	{re: annotationsAddedRe, purpose: Cleanup, why: "annotations for the compiler or the reader", faultless: true},
	{re: avoidedActionRe, purpose: Fix, why: "something done that should not be", unless: avoidedWorkRe},
	{re: cacheMaintenanceRe, purpose: Fix, why: "memory made coherent with the caches", unless: lessMaintenanceRe},
	{re: logOnFailureRe, purpose: Feature, why: "output the kernel did not give"},
	{re: newVersionTakenUpRe, purpose: Cleanup, why: "a dependency's new version taken up", faultless: true},
	{re: resourceReleasedRe, purpose: Fix, why: "a resource that leaked let go"},
	{re: lockTakenRe, purpose: Fix, why: "a lock taken where code ran without it"},
	{re: clarityRe, purpose: Cleanup, why: "the same code made clearer", faultless: true},
	{re: generatedTakenUpRe, purpose: Cleanup, why: "hand-written definitions given up for generated ones", faultless: true},
	{re: barrierAddedRe, purpose: Fix, why: "a barrier put where the ordering was wrong"},
	{re: compilerPortRe, purpose: Fix, why: "a build with that compiler mended", faultless: true},
	{re: languageFeatureRe, purpose: Cleanup, why: "a language feature taken up", faultless: true},
	{re: compileTimeCheckRe, purpose: Fix, why: "a safeguard against a breaking configuration"},
	{re: bracesAddedRe, purpose: Cleanup, why: "the coding style's braces"},
	// Matched case-sensitively: the constant's name is kept as written.
	{re: namedConstantRe, purpose: Cleanup, why: "a number named as the code names it elsewhere", keepCase: true},
	{re: followUpRe, purpose: Fix, why: "completes the commit before it"},
	{re: attemptAtWordsRe, purpose: Cleanup, why: "a rewording"},
	{re: testTriggersRe, purpose: Cleanup, why: "a test made to provoke it"},
	{re: anotherAttemptRe, purpose: Fix, why: "the earlier attempt did not work"},
	{re: reportedFailureRe, purpose: Feature, why: "output the kernel did not give"},
	{re: doneAlreadyRe, purpose: Perf, why: "work skipped that was done already"},
	{re: stylePoliceRe, purpose: Cleanup, why: "style"},
	{re: longLinesRe, purpose: Cleanup, why: "formatting"},
	{re: asyncConversionRe, purpose: Cleanup, why: "the same code made asynchronous", faultless: true, alone: true},
	{re: preprocessorGuardsRe, purpose: Cleanup, why: "code put behind preprocessor guards, unchanged", faultless: true, unless: forgottenRe},
	{re: signatureChangeRe, purpose: Cleanup, why: "an interface reshaped, its callers following", faultless: true, alone: true},
	{re: standardFacilityRe, purpose: Cleanup, why: "an existing facility taken up", faultless: true},
	{re: performanceFixRe, purpose: Perf, why: "what was mended was speed"},
	{re: indirectionRe, purpose: Cleanup, why: "the same code reached through another layer", faultless: true},
	{re: fastPathCasesRe, purpose: Perf, why: "more work done on the fast path"},
}

// match is what of subject r's phrase matches, as the reason quotes it,
// or "".
func (r subjectRule) match(subject string) string {
	if r.alone && addedClauseRe.MatchString(subject) || r.unless != nil && r.unless.MatchString(subject) {
		return ""
	}
	if r.faultless {
		return saidWithoutFault(r.re, subject)
	}
	w := strings.TrimSpace(r.re.FindString(subject))
	if !r.keepCase {
		w = strings.ToLower(w)
	}
	return w
}

// saidWithoutFault returns what re matches in subject, in lower case and
// trimmed, when it matches and the subject names nothing that went wrong
// (step 8's first list of fix words); "" otherwise. Most rules that read
// the subject alone ask so.
func saidWithoutFault(re *regexp.Regexp, subject string) string {
	w := re.FindString(subject)
	if w == "" || keywords[0].find(subject) != "" {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(w))
}

// keyword is a purpose and the words that say it.
type keyword struct {
	purpose Purpose
	re      *regexp.Regexp
}

// fixedAdjectiveRe follows "fixed" used as an adjective ("fixed hardware
// addresses", "fixed-size buffers"): something that does not change, not
// something mended.
var fixedAdjectiveRe = regexp.MustCompile(`(?i)^[- ]([\w-]+ )?(address(es)?|size[sd]?|length|width|point|offsets?|locations?|values?|number|priorit(y|ies)|rate|frequency|mappings?|memory|regions?|intervals?|slots?)\b`)

// writingMendedRe ends the text before a fix word that mends the writing
// ("* doc small fix" in a squashed pull request's list, "style fix"), not
// something the code did wrong.
var writingMendedRe = regexp.MustCompile(`(?i)\b(docs?|documentation|comments?|typos?|formatting|format|spelling|style|whitespace|doxygen)( small| minor)? $`)

// debugAimRe ends the text before a fault word that a tool is for ("to
// debug hangs", "for diagnosing crashes"): the fault is what the commit
// helps find, not one it mends.
var debugAimRe = regexp.MustCompile(`(?i)\b(to|for|help(s|ing)?( to)?) (debug(ging)?|diagnos(e|ing)|investigat(e|ing)|track(ing)? down)( the| such| possible| these)? $`)

// executeNeverRe ends the text before "never" naming a memory protection
// attribute (ARM's XN, "Privileged eXecute Never").
var executeNeverRe = regexp.MustCompile(`(?i)\bexecute[- ]$`)

// index is where the first of k's words is in text. A performance word
// written with a capital inside a sentence names a component, not what the
// commit did ("ARM: Added Cache class"), and is passed over, as is a
// cleanup word that opens a clause of when ("when deleting a thread"), and
// "fixed" used as an adjective (fixedAdjectiveRe).
func (k keyword) index(text string) []int {
	var accept func(loc []int) bool
	switch k.purpose {
	case Cleanup:
		accept = func(loc []int) bool {
			if strings.EqualFold(text[loc[0]:loc[1]], "rm") && !rmOpensClauseRe.MatchString(text[:loc[0]]) {
				return false // "mkdir and rm": the program
			}
			return !clauseVerbRe.MatchString(text[:loc[0]])
		}
	case Fix:
		accept = func(loc []int) bool {
			switch {
			case strings.EqualFold(text[loc[0]:loc[1]], "fixed") && fixedAdjectiveRe.MatchString(text[loc[1]:]):
				return false // "at fixed hardware addresses": no mend
			case writingMendedRe.MatchString(text[:loc[0]]):
				return false // "doc small fix": the writing mended, not the code
			case debugAimRe.MatchString(text[:loc[0]]):
				return false // "Add --debug to udevd to debug hangs": a tool to find the fault
			case strings.EqualFold(text[loc[0]:loc[1]], "never") && executeNeverRe.MatchString(text[:loc[0]]):
				return false // "Add Privileged eXecute Never MPU attribute support": the attribute's name
			}
			return true
		}
	case Perf:
		start := 0
		if m := prefixTagRe.FindStringIndex(text); m != nil {
			start = m[1]
		}
		accept = func(loc []int) bool {
			switch {
			case text[loc[0]] >= 'A' && text[loc[0]] <= 'Z' && loc[0] > start && (loc[1]-loc[0] < 2 || text[loc[0]+1] >= 'a' && text[loc[0]+1] <= 'z'):
				return false
			case loc[0] > 0 && text[loc[0]-1] == '-':
				return false // "port-optimised task selection": a compound that names a thing
			case perfNounRe.MatchString(text[loc[1]:]):
				// "Added hash functions", "the -O2 optimization flag": the
				// word names a kind of thing, not a speed-up.
				return false
			}
			return true
		}
	default:
		return k.re.FindStringIndex(text)
	}
	// The first match is most often the one: found alone, it spares
	// finding every other in a long body.
	first := k.re.FindStringIndex(text)
	if first == nil || accept(first) {
		return first
	}
	for _, loc := range k.re.FindAllStringIndex(text, -1)[1:] {
		if accept(loc) {
			return loc
		}
	}
	return nil
}

// find is the first of k's words in text, "" when there is none.
func (k keyword) find(text string) string {
	if loc := k.index(text); loc != nil {
		return text[loc[0]:loc[1]]
	}
	return ""
}

// perfNounRe follows a performance word that qualifies a noun naming a
// kind of thing ("hash function", "optimization flag", "cache options", a
// kernel's "slow path", "TLB and cache management"),
// or a property of the hardware's cache ("cache control bits", "cache
// attributes", "cache maintenance"): no speed-up either.
var perfNounRe = regexp.MustCompile(`^[\s-]+(functions?|flags?|levels?|options?|settings?|algorithms?|control|attributes?|types?|modes?|polic(y|ies)|maintenance|management|coheren(ce|cy)|registers?|paths?)\b`)

// prefixTagRe is a subsystem prefix ("ARM: ", "x86/mm: ").
var prefixTagRe = regexp.MustCompile(`^\s*[\w/.-]+:\s+`)

// diffFacts is what a commit's files say about its purpose.
type diffFacts struct {
	known                         bool
	docs, tests, ci, other        int // files of docs, tests, CI and repository settings, anything not code
	compiled                      int // source and assembly files whose tokens changed
	moved                         int // entities moved to another file
	renamed                       int // code files renamed with the same bytes (each side counts)
	code                          int // source, assembly and build files
	build                         int // build files (among code)
	asm                           int // assembly files (among code)
	sourceUnchanged               int // source files whose entities did not change
	added, removed, body, changed int // entity changes by kind of change
	addedNames, removedNames      []string
	addedFns                      []string // functions added with their definition
	edited                        int      // source files that existed before the commit
	priorAsm                      int      // assembly files that existed before the commit
	syscall                       string   // a system call the commit adds
	lock, check                   string   // a function that gained a lock or check call
	option                        string   // a configuration macro the commit adds
	bodyFns                       []string
	// adopters are existing functions whose code traded calls it made
	// for a call to a function the commit adds: old code replaced by new.
	adopters []string
	// entityChanges counts the entity changes by entity and kind of
	// change ("function body", "type layout"), for the purpose model.
	entityChanges          map[string]int
	newFiles, deletedFiles int // source files added or deleted whole
	headers                int // headers among the source files changed
}

func readDiff(cfg *kernel.Config, files []File) diffFacts {
	d := diffFacts{known: len(files) > 0}
	var locks, checks, traded []gainedCall
	files = append([]File(nil), files...) // matchMoves gives some files new change lists
	matchMoves(files)
	for i := range files {
		f := &files[i]
		switch {
		case f.renamedAway:
			continue
		case cfg.IsTest(f.Path) || isTestProgram(f.Path):
			d.tests++
			continue
		case isExample(f.Path) || kernel.KindOf(f.Path) == kernel.KindOther && isDoc(f.Path):
			d.docs++
			continue
		case ciPathRe.MatchString(f.Path):
			d.ci++
			continue
		}
		if f.renamedUnchanged && kernel.KindOf(f.Path) != kernel.KindOther {
			// Renamed with the same bytes: code, none of it changed.
			d.code++
			d.renamed++
			continue
		}
		switch kernel.KindOf(f.Path) {
		case kernel.KindOther:
			d.other++
			continue
		case kernel.KindBuild:
			d.code++
			d.build++
			continue
		case kernel.KindAsm:
			d.code++
			d.asm++
			if f.Old != nil {
				d.priorAsm++
			}
			if old, new := summaryOf(f.Old), summaryOf(f.New); old == nil || new == nil || old.TokenHash != new.TokenHash {
				d.compiled++
			}
			continue
		}
		d.code++
		if f.Old != nil && f.New != nil {
			d.edited++
		}
		if f.Old == nil {
			d.newFiles++
		}
		if f.New == nil {
			d.deletedFiles++
		}
		if kernel.KindOf(f.Path) == kernel.KindHeader {
			d.headers++
		}
		if unreadable(f.Old) != "" || unreadable(f.New) != "" || f.Old == nil || f.New == nil {
			d.changed++
			if f.Old == nil {
				d.added++
			}
			if f.New == nil {
				d.removed++
			}
		}
		old, new := summaryOf(f.Old), summaryOf(f.New)
		changes, _ := f.changes()
		// Parameters renamed tell no more than comments do. The list is
		// copied only when it has such a change: a vendor tree's deletion
		// has a million others.
		cosmetic := func(c cparse.Change) bool { return c.Cosmetic }
		if slices.ContainsFunc(changes, cosmetic) {
			changes = slices.DeleteFunc(slices.Clone(changes), cosmetic)
		}
		if len(changes) == 0 && old != nil && new != nil && old.TokenHash != "" && old.TokenHash == new.TokenHash {
			d.sourceUnchanged++
		} else {
			d.compiled++
		}
		if f.Old == nil && new != nil {
			for _, fn := range new.Functions {
				if fn.Definition && syscallNameRe.MatchString(fn.Name) && d.syscall == "" {
					d.syscall = fn.Name
				}
			}
		}
		var defs map[string]bool
		for _, c := range changes {
			change := c.Change
			if c.Entity == cparse.EntityMacro && isIncludeGuard(c.Name) {
				// A header's guard is no capability ("allwinnerA20: use
				// declare_default_headers" renames a timer header and
				// respells its guard).
				continue
			}
			if (c.Entity == cparse.EntityMacro || c.Entity == cparse.EntityFunction) && strings.HasPrefix(c.Detail, cparse.DetailAlternativeAdded) {
				// A macro's value or a function's code for a
				// configuration that had none before reads as one
				// added ("adds configuration option …", a port's
				// version of a function), whatever the entity lists
				// call it.
				change = cparse.ChangeAdded
			}
			switch c.Detail {
			case cparse.DetailOverloadAdded:
				change = cparse.ChangeAdded // a new constructor reads as one
			case cparse.DetailOverloadRemoved:
				change = cparse.ChangeRemoved
			}
			if d.entityChanges == nil {
				d.entityChanges = map[string]int{}
			}
			d.entityChanges[string(c.Entity)+" "+string(change)]++
			switch change {
			case cparse.ChangeAdded:
				d.added++
				d.addedNames = append(d.addedNames, c.Name)
				if c.Entity == cparse.EntityMacro && configMacroRe.MatchString(c.Name) && kernel.KindOf(f.Path) == kernel.KindHeader && d.option == "" {
					d.option = c.Name
				}
				if c.Entity == cparse.EntityFunction {
					if defs == nil {
						// Once per file: a file added whole adds
						// every one of its functions.
						defs = definitions(new)
					}
					if defs[c.Name] {
						d.addedFns = append(d.addedFns, c.Name)
					}
				}
				if (c.Entity == cparse.EntityFunction || c.Entity == cparse.EntityMacro) && syscallNameRe.MatchString(c.Name) && d.syscall == "" {
					d.syscall = c.Name
				}
			case cparse.ChangeRemoved:
				d.removed++
				d.removedNames = append(d.removedNames, c.Name)
			case cparse.ChangeMoved:
				d.moved++
			case cparse.ChangeBody:
				d.body++
				d.bodyFns = append(d.bodyFns, c.Name)
				if old != nil && new != nil {
					lost := len(gainedCalls(new, old, c.Name)) > 0
					for _, g := range gainedCalls(old, new, c.Name) {
						if lost {
							// Calls traded: old code replaced by a call.
							traded = append(traded, gainedCall{c.Name, g})
						}
						if lockCallRe.MatchString(identifierWords(g)) {
							locks = append(locks, gainedCall{c.Name, g})
						}
						if checkCallRe.MatchString(g) {
							checks = append(checks, gainedCall{c.Name, g})
						}
					}
				}
			default:
				d.changed++
			}
		}
	}
	// A call gained to a function the commit adds is the new code put to
	// use ("timer interrupts": main calls the new lapic_enableintr), not
	// a lock or a check the old code lacked.
	d.lock = firstGainedCall(locks, d.addedNames)
	d.check = firstGainedCall(checks, d.addedNames)
	d.adopters = callersOfAdded(traded, d.addedFns)
	return d
}

// callersOfAdded returns the callers among calls whose callee is one of
// the added functions, matched by the last part of its name (a method is
// called unqualified).
func callersOfAdded(calls []gainedCall, added []string) []string {
	short := map[string]bool{}
	for _, a := range added {
		short[a[strings.LastIndex(a, ":")+1:]] = true
	}
	var callers []string
	for _, c := range calls {
		if short[c.callee[strings.LastIndex(c.callee, ":")+1:]] && !slices.Contains(callers, c.caller) {
			callers = append(callers, c.caller)
		}
	}
	return callers
}

// newCodeEntities is how many added entities make a diff new code: a
// lock or a check gained among them is the new code's own ("block
// bitmap" adds ialloc's panic with eight new entities, "Map kernel high"
// cprintf's with eleven), not one the old code lacked.
const newCodeEntities = 6

// gainedCall is a call a function's body gained.
type gainedCall struct{ caller, callee string }

// firstGainedCall describes the first of calls whose callee the commit did
// not add, "" when there is none.
func firstGainedCall(calls []gainedCall, added []string) string {
	for _, c := range calls {
		if !slices.Contains(added, c.callee) {
			return c.caller + " now calls " + c.callee
		}
	}
	return ""
}

// cosmetic says why the diff is a cleanup whatever the message says: only
// docs or tests changed, or source files whose tokens all stayed the same
// (comments, whitespace).
func (d diffFacts) cosmetic() string {
	switch {
	case d.code == 0 && d.other == 0 && d.docs+d.tests > 0 && d.ci == 0:
		return fmt.Sprintf("only docs or tests changed (%d docs, %d tests)", d.docs, d.tests)
	case d.code == 0 && d.other == 0 && d.docs+d.tests > 0:
		return fmt.Sprintf("only docs, tests or CI changed (%d docs, %d tests, %d CI)", d.docs, d.tests, d.ci)
	case d.code == 0 && d.other == 0 && d.ci > 0:
		return fmt.Sprintf("only CI or repository settings changed (%d files)", d.ci)
	case d.tests > 0 && d.code == d.build && d.other == 0 && d.docs+d.ci == 0:
		// A test suite added with the line of the top build file that
		// builds it ("kernel-tests: Add testsuite for kernel").
		return fmt.Sprintf("only tests and the build files that build them changed (%d tests, %d build files)", d.tests, d.build)
	case d.tests > 0 && d.compiled == 0 && d.build == 0 && d.other == 0 && d.docs+d.ci == 0:
		// "fix usertests to correctly test …", the kernel's files
		// touched only in comments: the test is what was mended.
		return fmt.Sprintf("only tests changed (%d), and comments or whitespace in the source", d.tests)
	case d.code > 0 && d.code == d.sourceUnchanged && d.other == 0:
		return "only comments or whitespace in the source changed"
	case d.renamed > 0 && d.code == d.sourceUnchanged+d.renamed && d.other == 0:
		return "only renames files (same bytes) or changes comments and whitespace"
	case d.moved > 0 && d.added+d.removed+d.body+d.changed == 0 && d.other == 0:
		return fmt.Sprintf("only moves entities (%d) from one file to another", d.moved)
	}
	return ""
}

// onlyNewFiles reports whether the diff adds files with entities and
// touches no source or assembly file that existed: nothing edited,
// removed or moved (files renamed with their bytes aside; "x86: replace
// idle/halt[.S] with idle.c" deletes two).
func (d diffFacts) onlyNewFiles() bool {
	return d.known && d.edited == 0 && d.priorAsm == 0 && d.removed == 0 && d.moved == 0 && d.body == 0 && len(d.addedNames) > 0
}

// smallBodyChange reports whether the diff changes the code of one to five
// functions and nothing else: nothing added, removed, moved or re-declared.
func (d diffFacts) smallBodyChange() bool {
	return d.known && d.body > 0 && d.body <= 5 && d.added+d.removed+d.changed+d.moved == 0
}

// noEntityChanged reports whether no entity changed in any way, moves
// included (files renamed with their entities, #include lines).
func (d diffFacts) noEntityChanged() bool {
	return d.onlyMoved() && d.moved == 0
}

// onlyMoved reports whether no entity changed but by moving: within a file
// (its tokens changed, none of its entities did) or to another file.
func (d diffFacts) onlyMoved() bool {
	return d.added+d.removed+d.body+d.changed == 0
}

// purpose is what the diff says when the subject does not.
func (d diffFacts) purpose(terse, importLike bool) (p Purpose, why string) {
	switch {
	case d.code == 0:
		return "", ""
	case d.renamed > 0 && d.noEntityChanged() && d.asm == 0 && d.other == 0:
		// Renamed with their entities, the #include lines and build
		// files that name them following ("fd.* -> file.*"); read after
		// the subject, which may say the old names broke a build.
		return Cleanup, "only renames files, their entities unchanged, and changes no entity elsewhere"
	case d.added > 0 && d.removed == 0 && d.changed == 0 && len(d.addedNames) > 0:
		return Feature, "adds " + names(d.addedNames)
	case d.onlyNewFiles() && !importLike:
		// New files and nothing else ("x64: Mode specific smp file"):
		// an import says so in its subject (read before, or "Initial
		// kernel": a subsystem's start has its prefix, "ARM: Initial
		// functionality.").
		return Feature, "only adds new files, with " + names(d.addedNames)
	case d.removed > 0 && d.added == 0 && d.body == 0 && d.changed == 0:
		return Cleanup, "only removes code"
	case len(d.addedFns) >= 2 && len(d.addedFns) >= d.body && d.removed == 0 && d.edited > 0:
		return Feature, "adds functions " + names(d.addedFns)
	case d.option != "":
		return Feature, "adds configuration option " + d.option
	case d.lock != "" && d.added < newCodeEntities:
		return Fix, d.lock
	case d.check != "" && d.added < newCodeEntities:
		return Fix, d.check
	case terse && d.body > 0 && d.body <= 5 && d.added+d.removed+d.changed == 0:
		return Fix, "terse message, small change to the body of " + names(d.bodyFns)
	}
	return "", ""
}

// terse reports whether a subject is too short to say anything ("oops",
// "nits", "more fs work"), once a subsystem prefix is taken off.
func terse(subject string) bool {
	subject = prNumberRe.ReplaceAllString(subject, "")
	if i := strings.Index(subject, ": "); i >= 0 {
		subject = subject[i+2:]
	}
	return len(strings.Fields(subject)) <= 3
}

func names(ns []string) string {
	ns = append([]string(nil), ns...)
	sort.Strings(ns)
	if len(ns) > 3 {
		return strings.Join(ns[:3], ", ") + fmt.Sprintf(" and %d more", len(ns)-3)
	}
	return strings.Join(ns, ", ")
}

// definitions returns the names of s's function definitions.
func definitions(s *cparse.Summary) map[string]bool {
	out := map[string]bool{}
	if s == nil {
		return out
	}
	for _, fn := range s.Functions {
		if fn.Definition {
			out[fn.Name] = true
		}
	}
	return out
}

// gainedCalls are the calls the named function makes in new and not in old.
func gainedCalls(old, new *cparse.Summary, name string) []string {
	had := map[string]bool{}
	for _, fn := range old.Functions {
		if fn.Name == name && fn.Definition {
			for _, c := range fn.Calls {
				had[c] = true
			}
		}
	}
	var out []string
	for _, fn := range new.Functions {
		if fn.Name == name && fn.Definition {
			for _, c := range fn.Calls {
				if !had[c] {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// testProgramRe is the stem of a source file named as a test program
// (xv6's usertests.c, test_queue.c, list-test.cpp): not the kernel, though
// no test directory holds it. A purpose rule only: such a program's
// entities stay in the commit's changes.
var testProgramRe = regexp.MustCompile(`(?i)^(tests?[_-]\w+|\w+[_-]tests?|\w+tests)$`)

func isTestProgram(p string) bool {
	if k := kernel.KindOf(p); k != kernel.KindModule && k != kernel.KindHeader {
		return false
	}
	base := path.Base(p)
	return testProgramRe.MatchString(strings.TrimSuffix(base, path.Ext(base)))
}

// isExample reports whether a path is example code shipped with the kernel
// (documentation, not the kernel).
func isExample(p string) bool {
	dirs := strings.Split(p, "/")
	for _, d := range dirs[:len(dirs)-1] {
		d = strings.ToLower(d)
		if exampleDirRe.MatchString(d) {
			return true
		}
	}
	return false
}

// exampleDirRe: a directory of example code ("examples", "cmake_example").
var exampleDirRe = regexp.MustCompile(`^([\w.]+[_-])?examples?$`)

func isDoc(p string) bool {
	base := strings.ToLower(path.Base(p))
	return docExtRe.MatchString(p) || strings.HasPrefix(base, "readme") || strings.HasPrefix(base, "license") ||
		strings.HasPrefix(base, "copying") || strings.HasPrefix(base, "changelog") || strings.HasPrefix(base, "history") ||
		noteFiles[base] ||
		strings.HasPrefix(p, "doc/") || strings.HasPrefix(p, "docs/") || strings.Contains(p, "/doc/") || strings.Contains(p, "/docs/")
}

// noteFiles are the notes a repository keeps at its root: known bugs, to-do
// lists, credits.
var noteFiles = map[string]bool{"bugs": true, "todo": true, "notes": true, "authors": true, "credits": true, "changes": true,
	"thanks": true, "news": true, "contributors": true, "maintainers": true}

func unreadable(v *Version) string {
	if v == nil {
		return ""
	}
	return v.Unreadable
}

// Subject is a commit message's first line.
func Subject(msg string) string {
	msg = strings.TrimLeft(msg, "\n")
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return strings.TrimSpace(msg)
}

// identifierWords spells a (possibly qualified) identifier as its words in
// lower case joined by '_': "Thread::blockCurrent" is "thread_block_current",
// "taskENTER_CRITICAL" "task_enter_critical".
func identifierWords(name string) string {
	var b strings.Builder
	prevLower := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteByte(c + 'a' - 'A')
			prevLower = false
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteByte(c)
			prevLower = true
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
			prevLower = false
		}
	}
	return strings.Trim(b.String(), "_")
}

// renameArrow reads a subject "from -> to" against the diff: a rename when
// the diff removes a name of from and adds to ("enterpgdir ->
// entrypgdir") or keeps it, already there ("p2v -> P2V" drops the
// functions for the macros); routines merged into one when from names
// several ("forkExecutor + doSchedule -> forkAndSchedule") and the diff
// removes one of them, or to is defined calling one of them (a helper
// now does what its callers did by hand). It returns the evidence, or ""
// when the diff says otherwise.
func renameArrow(files []File, d diffFacts, from, to string) string {
	if m := renamedMember(files, strings.TrimSpace(from), to); m != "" {
		return "subject renames " + strings.TrimSpace(from) + " to " + to + ", a member of " + m + ", and the diff does"
	}
	if !namesOne(d.addedNames, to) && !definedInFiles(files, to) {
		return ""
	}
	helper := functionIn(files, to)
	for _, name := range renameArrowNameRe.FindAllString(from, -1) {
		switch {
		case name == "and":
		case namesOne(d.removedNames, name):
			return "subject renames " + strings.TrimSpace(from) + " to " + to + " and the diff does"
		case helper != nil && namesOne(helper.Calls, name):
			return "subject merges " + strings.TrimSpace(from) + " into " + to + ", a new helper that calls " + name
		}
	}
	return ""
}

// renamedByPattern reports whether the diff renames names or files of
// one stem to another ("fd_* => file_*": fd_alloc removed, filealloc
// added), or only renames files, their entities unchanged.
func renamedByPattern(d diffFacts, from, to string) bool {
	if d.noEntityChanged() {
		return d.renamed > 0
	}
	stem := func(names []string, s string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, s) })
	}
	return stem(d.removedNames, from) && stem(d.addedNames, to)
}

// renamedMember returns the type one of whose data members is from in an
// old version of files and to in the new one ("writeable => writable",
// xv6's struct file's flag), "" when none is.
func renamedMember(files []File, from, to string) string {
	has := func(t cparse.Type, name string) bool {
		return slices.ContainsFunc(t.Members, func(m cparse.Member) bool { return m.Name == name })
	}
	for _, f := range files {
		if f.Old == nil || f.Old.Summary == nil || f.New == nil || f.New.Summary == nil {
			continue
		}
		for _, ot := range f.Old.Summary.Types {
			if !has(ot, from) || has(ot, to) {
				continue
			}
			for _, nt := range f.New.Summary.Types {
				if nt.Name == ot.Name && has(nt, to) && !has(nt, from) {
					return ot.Name
				}
			}
		}
	}
	return ""
}

// sameName reports whether full is name, or a qualified name whose last
// part it is ("thor::forkAndSchedule" for "forkAndSchedule").
func sameName(full, name string) bool {
	return full == name || strings.HasSuffix(full, "::"+name)
}

// namesOne reports whether names holds name (sameName).
func namesOne(names []string, name string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return sameName(n, name) })
}

// functionIn returns the first definition of name (sameName) in the new
// versions of files, nil when there is none.
func functionIn(files []File, name string) *cparse.Function {
	for _, f := range files {
		if f.New == nil || f.New.Summary == nil {
			continue
		}
		for i, fn := range f.New.Summary.Functions {
			if fn.Definition && sameName(fn.Name, name) {
				return &f.New.Summary.Functions[i]
			}
		}
	}
	return nil
}

// definedInFiles reports whether the new versions of files define name
// (sameName) as a function, macro, global or type.
func definedInFiles(files []File, name string) bool {
	for _, f := range files {
		if f.New == nil || f.New.Summary == nil {
			continue
		}
		s := f.New.Summary
		if slices.ContainsFunc(s.Functions, func(fn cparse.Function) bool { return sameName(fn.Name, name) }) ||
			slices.ContainsFunc(s.Macros, func(m cparse.Macro) bool { return m.Name == name }) ||
			slices.ContainsFunc(s.Globals, func(g cparse.Global) bool { return sameName(g.Name, name) }) ||
			slices.ContainsFunc(s.Types, func(t cparse.Type) bool { return sameName(t.Name, name) }) {
			return true
		}
	}
	return false
}
