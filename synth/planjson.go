package synth

import "github.com/upsynth/upsynth/runtime/plan"

// The plan's types are plan.json's schema, owned by runtime/plan (which
// emitted packages and the verification harness read); synth fills them.
type (
	Plan          = plan.Plan
	BuildOptions  = plan.Build
	FuncPlan      = plan.FuncPlan
	GlobalPlan    = plan.GlobalPlan
	Patch         = plan.Patch
	TypePlan      = plan.TypePlan
	Op            = plan.Op
	OpKind        = plan.OpKind
	AdapterPlan   = plan.AdapterPlan
	ArgMap        = plan.ArgMap
	Conv          = plan.Conv
	ImpreciseFile = plan.ImpreciseFile
)
