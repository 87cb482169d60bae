package serve

import (
	"fmt"
	"strings"
)

// cycleCommands are the reporting cycle's commands in command mode, each for one
// role only: a clerk submits and withdraws their own units' reports, the office
// reviews. They write to the server's own data file (not a copy), so the caller
// runs them on the shared store.
var cycleCommands = map[string]Role{"submit": RoleClerk, "withdraw": RoleClerk, "review": RoleOffice}

// IsCycleCommand reports whether approved args are a cycle command that writes.
func IsCycleCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	_, ok := cycleCommands[args[0]]
	return ok
}

// cycleArgs checks a cycle command: the role, a named unit the person may see,
// and no flag that names a file on the server.
func cycleArgs(cmd []string, p *Person, role Role) ([]string, error) {
	if p.Role != role {
		who := map[Role]string{RoleClerk: "填报人", RoleOffice: "汇总单位"}[role]
		return nil, fmt.Errorf("jibao %s 只能由%s运行；%s 的角色是 %s", cmd[0], who, p.Name, p.Role)
	}
	args := append([]string(nil), cmd...)
	var variant, unit string
	for i := 1; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "-") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !hasValue && i+1 < len(args) && name != "accept" && name != "notice" {
			i++
			value = args[i]
		}
		switch name {
		case "db", "catalog":
			return nil, fmt.Errorf("通过 ssh 不能指定 --%s：服务器只用它自己的数据文件和表式", name)
		case "variant":
			variant = value
		case "unit":
			unit = value
		}
	}
	if variant == "" {
		variant = p.OnlyVariant()
		if variant != "" {
			args = append(args, "--variant", variant)
		}
	}
	if unit == "" {
		return nil, fmt.Errorf("jibao %s 请用 --unit 指定单位", cmd[0])
	}
	if variant == "" || !p.May(variant, unit) {
		return nil, fmt.Errorf("%s 无权处理 %s 的报表", p.Name, unit)
	}
	return args, nil
}

// cycleHelp names the cycle commands the person may run, for the refusal message.
func cycleHelp(p *Person) string {
	if p.Role == RoleOffice {
		return "、jibao review"
	}
	return "、jibao submit、jibao withdraw"
}
