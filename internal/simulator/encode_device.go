package simulator

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/eset-community/terraform-provider-eset/internal/esetapi"
)

// wireDevice is a device as proto3 JSON writes it: fields holding their default value are left out.
type wireDevice struct {
	UUID                      string            `json:"uuid,omitempty"`
	DisplayName               string            `json:"displayName,omitempty"`
	OriginalDisplayName       string            `json:"originalDisplayName,omitempty"`
	Description               string            `json:"description,omitempty"`
	Tags                      []string          `json:"tags,omitempty"`
	ParentGroupUUID           string            `json:"parentGroupUuid,omitempty"`
	PrimaryLocalIPAddress     string            `json:"primaryLocalIpAddress,omitempty"`
	PublicIPAddress           string            `json:"publicIpAddress,omitempty"`
	LastSyncTime              string            `json:"lastSyncTime,omitempty"`
	FunctionalityStatus       string            `json:"functionalityStatus,omitempty"`
	FunctionalityProblemCount any               `json:"functionalityProblemCount,omitempty"`
	IsMuted                   bool              `json:"isMuted,omitempty"`
	IsMobile                  bool              `json:"isMobile,omitempty"`
	IsMaster                  bool              `json:"isMaster,omitempty"`
	DeviceType                string            `json:"deviceType,omitempty"`
	EnrollmentStatus          string            `json:"enrollmentStatus,omitempty"`
	OperatingSystem           *wireOS           `json:"operatingSystem,omitempty"`
	DeployedComponents        []wireComponent   `json:"deployedComponents,omitempty"`
	HardwareProfiles          []wireHardware    `json:"hardwareProfiles,omitempty"`
	ManagementDomain          string            `json:"managementDomain,omitempty"`
	OwnerUUID                 string            `json:"ownerUuid,omitempty"`
	Etag                      string            `json:"etag,omitempty"`
	CloudInventory            map[string]string `json:"cloudInventory,omitempty"` // newer than the docs
	Sensors                   []map[string]any  `json:"sensors,omitempty"`        // newer than the docs
}

type wireOS struct {
	DisplayName string       `json:"displayName,omitempty"`
	FamilyID    int64        `json:"familyId,omitempty"`
	EditionID   int64        `json:"editionId,omitempty"`
	Bitness     int64        `json:"bitness,omitempty"`
	Version     *wireVersion `json:"version,omitempty"`
}

type wireVersion struct {
	Name  string `json:"name,omitempty"`
	ID    string `json:"id,omitempty"` // uint64: a string in proto3 JSON
	Major any    `json:"major,omitempty"`
	Minor any    `json:"minor,omitempty"`
	Patch any    `json:"patch,omitempty"`
}

type wireComponent struct {
	Name        string       `json:"name,omitempty"`
	DisplayName string       `json:"displayName,omitempty"`
	ID          string       `json:"id,omitempty"`
	Version     *wireVersion `json:"version,omitempty"`
}

type wireHardware struct {
	Manufacturer    string                   `json:"manufacturer,omitempty"`
	Model           string                   `json:"model,omitempty"`
	NetworkAdapters []esetapi.NetworkAdapter `json:"networkAdapters,omitempty"`
}

func (s *Server) encodeDevice(buf *bytes.Buffer, d *esetapi.Device) {
	w := wireDevice{
		UUID: d.UUID, DisplayName: d.DisplayName, OriginalDisplayName: d.OriginalDisplayName, Description: d.Description,
		Tags: d.Tags, ParentGroupUUID: d.ParentGroupUUID, PrimaryLocalIPAddress: d.PrimaryLocalIPAddress,
		PublicIPAddress: d.PublicIPAddress, LastSyncTime: d.LastSyncTime,
		FunctionalityStatus:       omitDefault(d.FunctionalityStatus, esetapi.FunctionalityStatusUnspecified),
		FunctionalityProblemCount: s.int64(d.FunctionalityProblemCount),
		IsMuted:                   d.IsMuted, IsMobile: d.IsMobile, IsMaster: d.IsMaster,
		DeviceType:       omitDefault(d.DeviceType, esetapi.DeviceTypeUnspecified),
		EnrollmentStatus: omitDefault(d.EnrollmentStatus, esetapi.EnrollmentStatusUnspecified),
		ManagementDomain: d.ManagementDomain, OwnerUUID: d.OwnerUUID, Etag: d.Etag,
	}
	if os := d.OperatingSystem; os != (esetapi.OperatingSystem{}) {
		w.OperatingSystem = &wireOS{DisplayName: os.DisplayName, FamilyID: int64(os.FamilyID), EditionID: int64(os.EditionID),
			Bitness: int64(os.Bitness), Version: s.version(os.Version)}
	}
	for _, c := range d.DeployedComponents {
		w.DeployedComponents = append(w.DeployedComponents, wireComponent{Name: c.Name, DisplayName: c.DisplayName,
			ID: uint64Text(c.ID), Version: s.version(c.Version)})
	}
	for _, h := range d.HardwareProfiles {
		w.HardwareProfiles = append(w.HardwareProfiles, wireHardware{Manufacturer: h.Manufacturer, Model: h.Model, NetworkAdapters: h.NetworkAdapters})
	}
	if s.opts.UnknownFields {
		w.CloudInventory = map[string]string{"source": "simulator"}
		w.Sensors = []map[string]any{{"kind": "edr", "active": true}}
		if d.FunctionalityStatus == "DEVICE_FUNCTIONALITY_STATUS_ATTENTION_REQUIRED" {
			w.FunctionalityStatus = "DEVICE_FUNCTIONALITY_STATUS_CRITICAL"
		}
		if w.OperatingSystem != nil && d.OperatingSystem.FamilyID == 7 {
			w.OperatingSystem.FamilyID = 8 // a family newer than the docs
		}
	}
	b, _ := json.Marshal(w)
	buf.Write(b)
}

func (s *Server) version(v esetapi.Version) *wireVersion {
	if v == (esetapi.Version{}) {
		return nil
	}
	return &wireVersion{Name: v.Name, ID: uint64Text(v.ID), Major: s.int64(v.Major), Minor: s.int64(v.Minor), Patch: s.int64(v.Patch)}
}

func uint64Text(n esetapi.Uint64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatUint(uint64(n), 10)
}

// wireGroup is a device group as proto3 JSON writes it.
type wireGroup struct {
	UUID             string   `json:"uuid,omitempty"`
	DisplayName      string   `json:"displayName,omitempty"`
	ParentGroupUUID  string   `json:"parentGroupUuid,omitempty"`
	IsSecurityGroup  bool     `json:"isSecurityGroup,omitempty"`
	LinkedEntityType string   `json:"linkedEntityType,omitempty"`
	Etag             string   `json:"etag,omitempty"`
	Policies         []string `json:"policies,omitempty"` // newer than the docs
}

func (s *Server) encodeGroup(buf *bytes.Buffer, g *esetapi.DeviceGroup) {
	w := wireGroup{UUID: g.UUID, DisplayName: g.DisplayName, ParentGroupUUID: g.ParentGroupUUID, IsSecurityGroup: g.IsSecurityGroup,
		LinkedEntityType: omitDefault(g.LinkedEntityType, esetapi.LinkedEntityTypeUnspecified), Etag: g.Etag}
	if s.opts.UnknownFields {
		w.Policies = []string{"baseline"}
		if g.ParentGroupUUID == "" {
			w.LinkedEntityType = "DEVICE_GROUP_ENTITY_TYPE_RESELLER"
		}
	}
	b, _ := json.Marshal(w)
	buf.Write(b)
}
