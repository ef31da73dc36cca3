import {
  AlignLeftOutlined,
  CalculatorOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  ClockCircleOutlined,
  DownSquareOutlined,
  EditOutlined,
  FieldNumberOutlined,
  FileTextOutlined,
  FontSizeOutlined,
  MoneyCollectOutlined,
  PaperClipOutlined,
  PictureOutlined,
  SwapRightOutlined,
  TableOutlined,
  TagsOutlined,
  TeamOutlined,
  ApartmentOutlined,
  AimOutlined,
} from "@ant-design/icons";
import type { ComponentType } from "react";

const ICONS: Record<string, ComponentType> = {
  text: FontSizeOutlined,
  textarea: AlignLeftOutlined,
  number: FieldNumberOutlined,
  money: MoneyCollectOutlined,
  date: CalendarOutlined,
  datetime: ClockCircleOutlined,
  date_range: SwapRightOutlined,
  select: DownSquareOutlined,
  multi_select: TagsOutlined,
  radio: AimOutlined,
  checkbox: CheckSquareOutlined,
  user: TeamOutlined,
  department: ApartmentOutlined,
  attachment: PaperClipOutlined,
  image: PictureOutlined,
  signature: EditOutlined,
  table: TableOutlined,
  computed: CalculatorOutlined,
  description: FileTextOutlined,
};

export function FieldTypeIcon({ name }: { name: string }) {
  const Icon = ICONS[name] ?? FontSizeOutlined;
  return <Icon />;
}
