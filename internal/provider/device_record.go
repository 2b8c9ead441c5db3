package provider

import (
	"strings"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
	"github.com/eset-community/terraform-provider-eset/internal/provider/record"
)

// deviceRecord is one device's shape, in eset_devices' list and in eset_device alike. Values the API left
// out read as "" (strings), false, or [] (lists), as proto3 means them.
var deviceRecord = record.New(
	record.Str("uuid", "Unique identifier of the device: what incidents' `device_uuids` and detections' `device_uuid` hold.",
		func(d *esetapi.Device) string { return d.UUID }),
	record.Str("display_name", "Name of the device in the ESET console, what users call the host name.",
		func(d *esetapi.Device) string { return d.DisplayName }),
	record.Str("original_display_name", "Name the operating system first reported (e.g. a NetBIOS name); `\"\"` when not sent.",
		func(d *esetapi.Device) string { return d.OriginalDisplayName }),
	record.Str("description", "Free text; `\"\"` when none.",
		func(d *esetapi.Device) string { return d.Description }),
	record.Strings("tags", "Tag names; `[]` when none.",
		func(d *esetapi.Device) []string { return d.Tags }),
	record.Str("parent_group_uuid", "The static group that owns the device (see `eset_device_groups`).",
		func(d *esetapi.Device) string { return d.ParentGroupUUID }),
	record.Str("primary_local_ip_address", "One address picked on the device (the first IPv4 address of an Ethernet "+
		"interface, else the first IPv6 one); `\"\"` when not sent (iOS devices).",
		func(d *esetapi.Device) string { return d.PrimaryLocalIPAddress }),
	record.Str("public_ip_address", "Address the ESET server saw the device at; devices behind one NAT share it.",
		func(d *esetapi.Device) string { return d.PublicIPAddress }),
	record.Str("last_sync_time", "Last contact with ESET management, an RFC 3339 timestamp exactly as the API sent it.",
		func(d *esetapi.Device) string { return d.LastSyncTime }),
	record.Str("functionality_status", "`DEVICE_FUNCTIONALITY_STATUS_OK`, `_ATTENTION_RECOMMENDED`, `_ATTENTION_REQUIRED` or "+
		"`_UNSPECIFIED`; newer values pass through unchanged.",
		func(d *esetapi.Device) string { return d.FunctionalityStatus }),
	record.Bool("is_muted", "Whether the device's alerts are muted in the console.",
		func(d *esetapi.Device) bool { return d.IsMuted }),
	record.Str("device_type", "`DEVICE_TYPE_SERVER`, `_DESKTOP`, `_NOTEBOOK`, `_VIRTUAL_MACHINE`, `_SMARTPHONE`, `_TABLET`, … or "+
		"`_UNSPECIFIED`; newer values pass through unchanged.",
		func(d *esetapi.Device) string { return d.DeviceType }),
	record.Obj("operating_system", "The device's operating system.",
		record.Str("display_name", "Name of the system as reported, e.g. `Ubuntu 22.04.4 LTS`.",
			func(d *esetapi.Device) string { return d.OperatingSystem.DisplayName }),
		record.Str("family", "`"+strings.Join(esetapi.OSFamilies(), "`, `")+"` (`apple` is macOS and iOS, `unix` UNIX and FreeBSD), named "+
			"from the API's numeric family id; an id newer than the docs reads `family_<id>`.",
			func(d *esetapi.Device) string { return esetapi.OSFamily(d.OperatingSystem.FamilyID) }),
		record.Str("version", "Version as human text, e.g. `10.0.22631`; `\"\"` when not sent.",
			func(d *esetapi.Device) string { return d.OperatingSystem.Version.Name }),
	),
	record.Strings("mac_addresses", "MAC addresses of the device's network adapters, each once, in the API's order; "+
		"`[]` when the hardware inventory lists none.",
		func(d *esetapi.Device) []string { return d.MacAddresses() }),
)
