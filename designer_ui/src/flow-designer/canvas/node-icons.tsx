import {
  ApiOutlined,
  AuditOutlined,
  BranchesOutlined,
  CheckCircleOutlined,
  DeploymentUnitOutlined,
  FieldTimeOutlined,
  FormOutlined,
  MergeCellsOutlined,
  PartitionOutlined,
  PlayCircleOutlined,
  SendOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";

const ICONS: Record<string, ReactNode> = {
  start: <PlayCircleOutlined />,
  approval: <AuditOutlined />,
  handle: <FormOutlined />,
  cc: <SendOutlined />,
  exclusive_gateway: <BranchesOutlined />,
  parallel_split: <PartitionOutlined />,
  parallel_join: <MergeCellsOutlined />,
  service: <ApiOutlined />,
  delay: <FieldTimeOutlined />,
  subprocess: <DeploymentUnitOutlined />,
  end: <CheckCircleOutlined />,
};

export function NodeIcon({ name }: { name: string }) {
  return <>{ICONS[name] ?? <AuditOutlined />}</>;
}
