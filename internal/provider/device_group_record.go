package provider

import (
	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

// deviceGroupRow is a device group with its path, which the provider works out from the whole tree.
type deviceGroupRow struct {
	esetapi.DeviceGroup
	path string
}

// deviceGroupRecord is one device group's shape in eset_device_groups.
var deviceGroupRecord = record.New(
	record.Str("uuid", "Unique identifier of the group: what devices' `parent_group_uuid` and `eset_devices`' `group_uuid` hold.",
		func(g *deviceGroupRow) string { return g.UUID }),
	record.Str("display_name", "Name of the group. Names repeat under different parents (two `Linux` groups): `path` tells them apart.",
		func(g *deviceGroupRow) string { return g.DisplayName }),
	record.NullableStr("parent_group_uuid", "The group's parent; null for the root (and for a group whose parent the API user cannot see).",
		func(g *deviceGroupRow) *string {
			if g.ParentGroupUUID == "" {
				return nil
			}
			return &g.ParentGroupUUID
		}),
	record.Str("path", "Names from the root, joined by `/`, e.g. `All/Servers/Linux`. A `/` inside a name is written `\\/` and a "+
		"backslash `\\\\`, so that a group named `Servers/Linux` under `All` is `All/Servers\\/Linux`, not `Linux` under `Servers`.",
		func(g *deviceGroupRow) string { return g.path }),
	record.Bool("is_security_group", "`true` for a static (access) group, `false` for a dynamic group.",
		func(g *deviceGroupRow) bool { return g.IsSecurityGroup }),
)
