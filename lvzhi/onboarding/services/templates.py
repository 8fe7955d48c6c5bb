"""The downloadable templates: the headers, an example row, data-validation lists (the body's own sectors,
committees, delegations and stations on a second sheet, the parties and unit kinds inline) and the required
columns marked."""

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lvzhi.core import xlsx
from lvzhi.deputies import selectors as deputy_selectors
from lvzhi.orgs.models import OrgUnit, UnitKind

from ..columns import columns_of, sheet_title

_LISTS = {
    "sector": (UnitKind.SECTOR,),
    "committee": (UnitKind.COMMITTEE,),
    "delegation": (UnitKind.DELEGATION, UnitKind.GROUP),
}
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def _body_lists(body: OrgUnit) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {key: [] for key in _LISTS}
    units = OrgUnit.objects.filter(body=body, is_active=True, kind__in=[k for ks in _LISTS.values() for k in ks])
    for unit in units.order_by("sort_order", "path").only("name", "kind"):
        for key, kinds in _LISTS.items():
            if unit.kind in kinds:
                names[key].append(unit.name)
    names["station"] = [s.name for s in deputy_selectors.public_stations(body)]
    return names


def _unit_list(body: OrgUnit) -> dict[str, list[str]]:
    units = OrgUnit.objects.filter(body=body, is_active=True).order_by("path").values_list("name", flat=True)
    return {"unit": list(units[:2000])}


def template_workbook(*, body: OrgUnit, kind: str) -> bytes:
    columns = columns_of(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(kind)
    lists = {"members": _body_lists, "staff": _unit_list}.get(kind, lambda _body: {})(body)
    options = book.create_sheet("选项") if lists else None
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = _REQUIRED_FILL
            cell.comment = Comment("必填", "Lvzhi")
        sheet.cell(row=2, column=index, value=xlsx.safe_text(column.example) or None).number_format = "@"
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = "@"  # phone and ID numbers stay text
        formula = None
        if column.choices:
            formula = '"' + ",".join(column.choices) + '"'
        elif options is not None and lists.get(column.key):
            values = lists[column.key]
            options.cell(row=1, column=index, value=column.header)
            for r, name in enumerate(values, start=2):
                options.cell(row=r, column=index, value=xlsx.safe_text(name))
            formula = f"选项!${letter}$2:${letter}${len(values) + 1}"
        if formula:
            check = DataValidation(type="list", formula1=formula, allow_blank=not column.required)
            check.error = "请从列表中选择"
            check.showErrorMessage = True
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}50001")
    sheet.freeze_panes = "A2"
    return xlsx.save(book)
