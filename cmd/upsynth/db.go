package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/upsynth/upsynth/analyze/store"
)

func newDBCmd(io streams) *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Check or migrate an analysis database",
	}
	cmd.PersistentFlags().StringVar(&db, "db", "upsynth.db", "analysis database: a SQLite file or a postgres:// URL")
	check := &cobra.Command{
		Use:   "check",
		Short: "Verify an analysis database: pages, indexes, references, row checksums and stored summaries",
		Long: `check reads the whole database and reports what is damaged: SQLite's
integrity check (every page, b-tree and index), rows referencing missing rows,
rows whose contents do not match their checksum (a flipped byte inside a
subject or a reason, which SQLite's own check does not see), and stored
summaries that do not decode (their zstd or gzip checksum catches a flipped byte). It
never writes. The exit status is 1 when anything is wrong.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := store.OpenReader(cmd.Context(), db)
			if err != nil {
				return err
			}
			defer st.Close()
			rep, err := st.Check(cmd.Context())
			if err != nil {
				return err
			}
			if rep.OK() {
				_, err := fmt.Fprintf(io.Out, "%s: ok\n", db)
				return err
			}
			for _, l := range []struct {
				what  string
				items []string
			}{{"integrity", rep.Integrity}, {"reference", rep.ForeignKeys}, {"row", rep.Rows}, {"summary", rep.Summaries}} {
				for _, it := range l.items {
					fmt.Fprintf(io.Out, "%s: %s: %s\n", db, l.what, it)
				}
			}
			fmt.Fprintf(io.Err, "upsynth: %s is damaged: analyze it into a new database\n", db)
			return &exitError{code: 1}
		},
	}
	migrate := &cobra.Command{
		Use:   "migrate",
		Short: "Upgrade an analysis database to this upsynth's schema",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := store.Exists(db); err != nil {
				return err
			}
			st, err := store.Open(cmd.Context(), db)
			if err != nil {
				return err
			}
			if err := st.Close(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(io.Out, "%s: schema version %d\n", db, store.SchemaVersion())
			return err
		},
	}
	cmd.AddCommand(check, migrate)
	return cmd
}
