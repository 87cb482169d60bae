package store

import (
	"errors"
	"io"

	"jibao/model"
)

// errTODO marks the parts of the store still to be written.
var errTODO = errors.New("存储尚未实现")

type impl struct{ path string }

func open(path string, opts Options) (*Store, error)                          { return nil, errTODO }
func (s *impl) close() error                                                  { return nil }
func (s *impl) get(id model.ReportID) (*model.Report, error)                  { return nil, errTODO }
func (s *impl) ensure(id model.ReportID, t, by string) (*model.Report, error) { return nil, errTODO }
func (s *impl) setCells(id model.ReportID, c []Change, by string) (*model.Report, error) {
	return nil, errTODO
}
func (s *impl) setHeader(id model.ReportID, h model.Header, by string) error       { return errTODO }
func (s *impl) setComment(id model.ReportID, k model.CellKey, t, by string) error  { return errTODO }
func (s *impl) confirm(id model.ReportID, key string, c *model.Confirmation) error { return errTODO }
func (s *impl) setState(id model.ReportID, st model.State, by string) error        { return errTODO }
func (s *impl) putReport(r *model.Report, by string) error                         { return errTODO }
func (s *impl) list(v string, p *model.Period) ([]Info, error)                     { return nil, errTODO }
func (s *impl) history(id model.ReportID, k model.CellKey) ([]Event, error)        { return nil, errTODO }
func (s *impl) undo(id model.ReportID, u string) ([]Event, error)                  { return nil, errTODO }
func (s *impl) redo(id model.ReportID, u string) ([]Event, error)                  { return nil, errTODO }
func (s *impl) setCursor(id model.ReportID, u string, c Cursor) error              { return errTODO }
func (s *impl) cursor(id model.ReportID, u string) (Cursor, bool, error) {
	return Cursor{}, false, errTODO
}
func (s *impl) lastOpened(u string) (model.ReportID, bool, error) {
	return model.ReportID{}, false, errTODO
}
func (s *impl) units(v string) ([]model.Unit, error) { return nil, errTODO }
func (s *impl) addUnit(v string, u model.Unit) error { return errTODO }
func (s *impl) backup(w io.Writer) (int64, error)    { return 0, errTODO }
func (s *impl) subscribe() (<-chan Notice, func())   { return nil, func() {} }
